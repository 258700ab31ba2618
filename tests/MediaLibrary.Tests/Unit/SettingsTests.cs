using System.ComponentModel.DataAnnotations;
using System.Reflection;
using MediaLibrary.Data;
using MediaLibrary.Web;
using Microsoft.Extensions.Configuration;

namespace MediaLibrary.Tests.Unit;

/// <summary>Every setting is an options property named after its variable, and a refused value names that variable.</summary>
public sealed class SettingsTests
{
    private static IEnumerable<PropertyInfo> Settings() => typeof(DataOptions).Assembly.GetTypes()
        .SelectMany(t => t.GetProperties())
        .Where(p => p.GetCustomAttribute<ConfigurationKeyNameAttribute>() is not null);

    [Fact]
    public void EveryValidatedSetting_NamesItsVariable_WhenItRefusesAValue()
    {
        var settings = Settings().ToList();
        Assert.True(settings.Count > 40, $"only {settings.Count} settings found");
        var silent = settings
            .SelectMany(p => p.GetCustomAttributes<ValidationAttribute>().Select(a => (Property: p, Attribute: a)))
            .Where(x => x.Attribute.ErrorMessage?.Contains(x.Property.GetCustomAttribute<ConfigurationKeyNameAttribute>()!.Name, StringComparison.Ordinal) != true)
            .Select(x => $"{x.Property.DeclaringType!.Name}.{x.Property.Name}: {x.Attribute.GetType().Name}")
            .ToList();
        Assert.True(silent.Count == 0, "Validation messages that do not name their variable:\n" + string.Join("\n", silent));
    }

    [Theory]
    [InlineData("https://www.example.com, http://localhost:3000", true)]
    [InlineData("*", true)]
    [InlineData("https://www.example.com/", false)]
    [InlineData("https://www.example.com/shop", false)]
    [InlineData("www.example.com", false)]
    [InlineData("ftp://files.example.com", false)]
    public void CorsOrigins_AreOrigins(string value, bool valid)
    {
        var options = new WebOptions { CorsOrigins = value };
        var results = new List<ValidationResult>();
        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        Assert.All(results, r => Assert.StartsWith("MEDIALIB_CORS_ORIGINS lists", r.ErrorMessage));
    }
}
