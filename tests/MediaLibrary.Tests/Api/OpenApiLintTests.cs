using System.Diagnostics;
using System.Net;
using System.Text.Json;
using MediaLibrary.Tests.Infrastructure;

namespace MediaLibrary.Tests.Api;

/// <summary>
/// The OpenAPI document passes Redocly's recommended rules (@redocly/cli from tests/tools) without an error, with reads
/// anonymous and with reads behind a token; and each operation says whether it needs the bearer scheme.
/// </summary>
public sealed class OpenApiLintTests(MediaLibraryApp app, OpenApiLintTests.ReadsNeedAToken readAuthApp)
    : IClassFixture<MediaLibraryApp>, IClassFixture<OpenApiLintTests.ReadsNeedAToken>
{
    public sealed class ReadsNeedAToken : MediaLibraryApp
    {
        public ReadsNeedAToken() => Set("MEDIALIB_REQUIRE_AUTH_FOR_READS", "true");
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> LintAsync(MediaLibraryApp app)
    {
        using var response = await app.CreateClient().GetAsync("/openapi/v1.json", Ct);
        await response.ShouldBe(HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var file = Path.Combine(Path.GetTempPath(), $"medialib-openapi-{Guid.NewGuid():n}.json");
        await File.WriteAllTextAsync(file, text, Ct);
        try
        {
            var redocly = Path.Combine(S3Server.RepoRoot(), "tests", "tools", "node_modules", ".bin", "redocly");
            Assert.True(File.Exists(redocly), $"@redocly/cli is not installed ({redocly}). Run: npm ci --prefix tests/tools");
            var start = new ProcessStartInfo(redocly) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "lint", file, "--extends=recommended", "--format=stylish" }) start.ArgumentList.Add(arg);
            start.Environment["REDOCLY_TELEMETRY"] = "off";
            start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
            using var lint = System.Diagnostics.Process.Start(start)!;
            var output = lint.StandardOutput.ReadToEndAsync(Ct);
            var errors = lint.StandardError.ReadToEndAsync(Ct);
            await lint.WaitForExitAsync(Ct);
            var report = await output + await errors;
            Assert.True(lint.ExitCode == 0, "Redocly's recommended lint failed:\n" + report);
            Assert.DoesNotContain(" error ", report);
            // Every operation declares the refusals it can answer, and every tag says what it is for.
            Assert.DoesNotContain("operation-4xx-response", report);
            Assert.DoesNotContain("tag-description", report);
        }
        finally
        {
            File.Delete(file);
        }
        return JsonDocument.Parse(text).RootElement;
    }

    private static JsonElement Security(JsonElement doc, string path, string method) =>
        doc.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("security");

    [Fact]
    public async Task TheDocument_PassesRedoclysRecommendedLint_AndSaysWhichOperationsNeedAToken()
    {
        var doc = await LintAsync(app);
        Assert.Equal(0, Security(doc, "/api/media", "get").GetArrayLength());
        Assert.Equal(0, Security(doc, "/files/{id}/v{version}/{name}", "get").GetArrayLength());
        Assert.True(Security(doc, "/api/media", "post")[0].TryGetProperty("Bearer", out _));
        Assert.True(Security(doc, "/api/admin/keys", "post")[0].TryGetProperty("Bearer", out _));
        var file = doc.GetProperty("paths").GetProperty("/files/{id}/v{version}/{name}");
        Assert.Equal(["GetFile", "GetFileHead"], new[] { "get", "head" }.Select(m => file.GetProperty(m).GetProperty("operationId").GetString()));
        Assert.All(doc.GetProperty("servers").EnumerateArray(), s => Assert.False(s.GetProperty("url").GetString()!.EndsWith('/')));
        var upload = doc.GetProperty("paths").GetProperty("/api/media").GetProperty("post").GetProperty("responses");
        Assert.All(new[] { "201", "400", "401", "403" }, status => Assert.True(upload.TryGetProperty(status, out _), $"upload declares {status}"));
        var read = doc.GetProperty("paths").GetProperty("/api/media/{id}").GetProperty("get").GetProperty("responses");
        Assert.True(read.TryGetProperty("404", out _));
        Assert.False(read.TryGetProperty("401", out _), "an anonymous read does not answer 401");
    }

    [Fact]
    public async Task WithReadsBehindAToken_ReadsDeclareTheScheme_AndTheDocumentStillPasses()
    {
        var doc = await LintAsync(readAuthApp);
        Assert.True(Security(doc, "/api/media", "get")[0].TryGetProperty("Bearer", out _));
        Assert.True(Security(doc, "/files/{id}/v{version}/{name}", "head")[0].TryGetProperty("Bearer", out _));
    }
}
