using System.ComponentModel.DataAnnotations;

namespace MediaLibrary.Web;

/// <summary>The HTTP surface's own settings.</summary>
public sealed class WebOptions : IValidatableObject
{
    /// <summary>Comma-separated origins of website frontends allowed to call the API from the browser; "*" for any.</summary>
    [ConfigurationKeyName("MEDIALIB_CORS_ORIGINS")]
    public string? CorsOrigins { get; set; }

    public IReadOnlyList<string> CorsOriginList =>
        (CorsOrigins ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var origin in CorsOriginList)
        {
            if (origin == "*") continue;
            // An origin is scheme, host and port: a path, even a trailing slash, never matches a browser's Origin header.
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.GetLeftPart(UriPartial.Authority) != origin.TrimEnd('/') || origin.EndsWith('/'))
                yield return new ValidationResult(
                    $"MEDIALIB_CORS_ORIGINS lists '{origin}', which is not an origin such as https://www.example.com (scheme, host and port; no path), nor *.");
        }
    }
}
