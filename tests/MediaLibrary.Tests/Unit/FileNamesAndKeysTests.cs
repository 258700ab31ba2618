using MediaLibrary.Data;
using MediaLibrary.Media;
using MediaLibrary.Storage;
using Microsoft.Extensions.Configuration;

namespace MediaLibrary.Tests.Unit;

public sealed class FileNamesAndKeysTests
{
    [Theory]
    [InlineData("photo.jpg", "photo.jpg")]
    [InlineData("  spaced   out  .png ", "spaced out .png")]
    [InlineData("C:\\Users\\me\\Desktop\\cat.gif", "cat.gif")]
    [InlineData("../../../etc/passwd", "passwd")]
    [InlineData("...", "file")]
    [InlineData("", "file")]
    [InlineData(null, "file")]
    [InlineData("a\0b.txt", "ab.txt")]
    [InlineData("rtl\u202Egnp.exe", "rtlgnp.exe")]
    [InlineData("what?*<>|:.png", "what______.png")]
    [InlineData("e\u0301te\u0301.png", "été.png")]
    [InlineData("tab\there.png", "tab here.png")]
    public void Clean_MakesDisplaySafeNames(string? raw, string expected) => Assert.Equal(expected, FileNames.Clean(raw));

    [Fact]
    public void Clean_LongNames_AreCutKeepingTheExtensionAndWholeCharacters()
    {
        var emoji = string.Concat(Enumerable.Repeat("😀", 300)) + ".jpeg";
        var cleaned = FileNames.Clean(emoji);
        Assert.True(cleaned.Length <= FileNames.MaxLength);
        Assert.EndsWith(".jpeg", cleaned);
        Assert.False(char.IsHighSurrogate(cleaned[^6]));
        Assert.Equal(FileNames.MaxLength, FileNames.Clean(new string('n', 1000)).Length);
    }

    [Theory]
    [InlineData("abc/def/original", true)]
    [InlineData("0a1b/2c3d/w_320,f_webp", true)]
    [InlineData("../etc/passwd", false)]
    [InlineData("abc//original", false)]
    [InlineData("/abc/original", false)]
    [InlineData("abc/./original", false)]
    [InlineData("ABC/original", false)]
    [InlineData("abc/orig inal", false)]
    [InlineData("", false)]
    public void StorageKeys_AcceptOnlyServerShapedKeys(string key, bool valid) => Assert.Equal(valid, StorageKeys.IsValid(key));

    [Fact]
    public void StorageKeys_NewIds_AreUniqueAndValid()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => StorageKeys.NewId()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids.Take(100), id => Assert.True(StorageKeys.IsValid(StorageKeys.Original(id, id))));
    }

    [Fact]
    public void DatabaseSettings_DefaultIsSqliteInTheDataFolder()
    {
        var settings = DatabaseSettings.From(DataOptions.From(Config(null)), "/srv/data");
        Assert.Equal(DatabaseProvider.Sqlite, settings.Provider);
        Assert.Equal("SQLite (/srv/data/medialibrary.db)", settings.Describe());
    }

    [Fact]
    public void DatabaseSettings_PostgresUri_IsConvertedAndThePasswordNeverDescribed()
    {
        var settings = DatabaseSettings.From(DataOptions.From(Config("postgresql://media:s3cr%40t@db.example:5433/library?sslmode=require")), "/d");
        Assert.Equal(DatabaseProvider.Postgres, settings.Provider);
        Assert.Contains("Password=s3cr@t", settings.ConnectionString);
        Assert.Contains("SSL Mode=Require", settings.ConnectionString);
        var described = settings.Describe();
        Assert.Equal("PostgreSQL (host=db.example, port=5433, database=library, user=media, password=***)", described);
        Assert.DoesNotContain("s3cr", described);
    }

    [Fact]
    public void DatabaseSettings_KeyValueConnectionString_IsPostgres()
    {
        var settings = DatabaseSettings.From(DataOptions.From(Config("Host=localhost;Database=media;Username=u;Password=p")), "/d");
        Assert.Equal(DatabaseProvider.Postgres, settings.Provider);
        Assert.DoesNotContain("=p", settings.Describe());
    }

    [Fact]
    public void DatabaseSettings_Nonsense_FailsWithAMessageNamingTheSetting()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => DatabaseSettings.From(DataOptions.From(Config("this is not a connection string")), "/d"));
        Assert.Contains("MEDIALIB_DATABASE", ex.Message);
    }

    [Fact]
    public void AllowList_DefaultsAndWildcards()
    {
        var defaults = new MediaOptions();
        Assert.True(defaults.IsAllowed("image/png"));
        Assert.True(defaults.IsAllowed("application/pdf"));
        Assert.False(defaults.IsAllowed("text/html"));
        Assert.False(defaults.IsAllowed("application/zip"));
        Assert.False(defaults.IsAllowed("application/octet-stream"));
        var images = new MediaOptions { AllowedTypes = "image/*, application/pdf" };
        Assert.True(images.IsAllowed("image/webp"));
        Assert.True(images.IsAllowed("application/pdf"));
        Assert.False(images.IsAllowed("video/mp4"));
    }

    private static IConfiguration Config(string? database) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["MEDIALIB_DATABASE"] = database }).Build();
}
