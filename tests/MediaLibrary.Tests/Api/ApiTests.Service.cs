using System.Net;
using System.Text.Json;
using MediaLibrary.Tests.Infrastructure;

namespace MediaLibrary.Tests.Api;

public abstract partial class ApiTests
{
    [Fact]
    public async Task OpenApiDocument_DescribesEveryEndpointAndTheBearerScheme()
    {
        using var response = await App.CreateClient().GetAsync("/openapi/v1.json", Ct);
        await response.ShouldBe(HttpStatusCode.OK);
        var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        var paths = doc.GetProperty("paths");
        foreach (var path in new[] { "/api/auth/token", "/api/media", "/api/media/{id}", "/api/media/{id}/file", "/api/media/{id}/tags",
            "/api/media/bulk", "/api/tags", "/api/folders", "/api/folders/{id}", "/api/folders/{id}/move", "/api/media/{id}/references", "/api/references" })
            Assert.True(paths.TryGetProperty(path, out _), $"{path} missing from the OpenAPI document");
        Assert.True(doc.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("Bearer", out _));
        var mediaSchema = doc.GetProperty("components").GetProperty("schemas").GetProperty("MediaResponse").GetProperty("properties");
        Assert.True(mediaSchema.TryGetProperty("alt_text", out _));
        Assert.True(mediaSchema.TryGetProperty("tags", out _));
        Assert.True(mediaSchema.TryGetProperty("reference_count", out _));
        var bulk = paths.GetProperty("/api/media/bulk").GetProperty("post");
        Assert.True(bulk.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(bulk.GetProperty("responses").TryGetProperty("200", out _));
        Assert.True(paths.GetProperty("/api/media").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Any(p => p.GetProperty("name").GetString() == "tag"), "the list's tag filter is described");
    }

    [Fact]
    public async Task ApiReferencePage_IsServed()
    {
        using var response = await App.CreateClient().GetAsync("/api/reference", Ct);
        await response.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Startup_LogsOneConfigurationSummaryWithoutSecrets()
    {
        var summary = App.Logs.GetSnapshot().Single(r => r.Message.StartsWith("Configuration:", StringComparison.Ordinal));
        Assert.Contains(App.UsePostgres ? "database=PostgreSQL" : "database=SQLite", summary.Message);
        Assert.Contains($"storage={App.Storage.Provider} (", summary.Message);
        Assert.DoesNotContain(S3Server.SecretKey + ")", summary.Message);
        var everything = string.Join("\n", App.Logs.GetSnapshot().Select(r => r.Message));
        Assert.DoesNotContain(MediaLibraryApp.AdminPassword, everything);
        var key = await File.ReadAllTextAsync(Path.Combine(App.DataDir, "jwt-signing.key"), Ct);
        Assert.DoesNotContain(key.Trim(), everything);
    }

    [Fact]
    public void SigningKeyFile_IsReadableByTheOwnerOnly()
    {
        if (OperatingSystem.IsWindows()) return;
        var mode = File.GetUnixFileMode(Path.Combine(App.DataDir, "jwt-signing.key"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }

    [Fact]
    public async Task Health_ReportsTheDatabaseTheStorageAndTheDeletions()
    {
        using var response = await App.CreateClient().GetAsync("/health", Ct);
        await response.ShouldBe(HttpStatusCode.OK);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("deletions").GetProperty("status").GetString());
    }
}
