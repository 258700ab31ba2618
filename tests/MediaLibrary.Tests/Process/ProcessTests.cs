using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using MediaLibrary.Auth;
using MediaLibrary.Operations;
using MediaLibrary.Tests.Infrastructure;

namespace MediaLibrary.Tests.Process;

/// <summary>The executable as a newcomer meets it: zero-configuration start, first admin, CLI verbs.</summary>
public sealed partial class ProcessTests : IDisposable
{
    private readonly string _workDir = Directory.CreateTempSubdirectory("medialib-proc-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FirstStart_WithZeroConfiguration_ListensOn5080_KeepsDataInTheWorkingFolder_AndPrintsTheAdminPasswordOnce()
    {
        string password;
        await using (var service = ServiceProcess.Start(_workDir, new Dictionary<string, string?>()))
        {
            await service.WaitForLineAsync("Now listening on: http://localhost:5080");
            password = GeneratedPassword().Match(await service.WaitForLineAsync("with the password:")).Groups[1].Value;
            Assert.Matches("^[A-Za-z0-9_-]{24}$", password);
            Assert.Contains("Configuration: database=SQLite (" + Path.Combine(_workDir, "data", "medialibrary.db"), service.Output);

            using var http = new HttpClient { BaseAddress = new Uri("http://localhost:5080") };
            var token = await TokenAsync(http, "admin", password);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var media = await http.UploadAsync(TestFiles.Png(3, 3), "first.png");
            Assert.Equal(TestFiles.Png(3, 3), await http.GetByteArrayAsync(media.Url, Ct));
            Assert.Equal(1, service.Output.Split('\n').Count(l => l.Contains(password, StringComparison.Ordinal)));
            // The data-protection key ring is made encrypted, so the framework has nothing to warn about.
            Assert.DoesNotContain("warn:", service.Output);
        }

        Assert.True(File.Exists(Path.Combine(_workDir, "data", "medialibrary.db")));
        Assert.True(File.Exists(Path.Combine(_workDir, "data", "jwt-signing.key")));
        // Owner-only: the folder holds the password hashes, the keys and every file.
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(_workDir, "data")));
            foreach (var secret in new[] { "medialibrary.db", "medialibrary.db-wal", "jwt-signing.key" })
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_workDir, "data", secret)));
        }
        Assert.Single(Directory.EnumerateFiles(Path.Combine(_workDir, "data", "files"), "original", SearchOption.AllDirectories));

        // Second start: same data, no new password, the same credentials work.
        var port = Ports.Free();
        await using var again = ServiceProcess.Start(_workDir, new Dictionary<string, string?>(), "--urls", $"http://127.0.0.1:{port}");
        await again.WaitForLineAsync($"Now listening on: http://127.0.0.1:{port}");
        Assert.DoesNotContain("with the password", again.Output);
        // The key ring made by the first start is read back (decrypted) by the second without a complaint.
        Assert.DoesNotContain("warn:", again.Output);
        Assert.DoesNotContain("fail:", again.Output);
        Assert.False(Directory.Exists(Path.Combine(_workDir, "data", "keys")));
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await TokenAsync(client, "admin", password);
    }

    [Fact]
    public async Task Start_WithTooShortAdminPassword_RefusesWithAClearMessage()
    {
        var env = new Dictionary<string, string?> { ["MEDIALIB_ADMIN_PASSWORD"] = "short", ["MEDIALIB_DATA_DIR"] = Path.Combine(_workDir, "d") };
        var (exit, output) = await ServiceProcess.RunAsync(_workDir, env, null, "--urls", $"http://127.0.0.1:{Ports.Free()}");
        Assert.Equal(1, exit);
        Assert.Contains("MediaLibrary cannot start: The password must be at least 8 characters long.", output);
        Assert.DoesNotContain("   at ", output); // a message, not a stack trace
    }

    [Theory]
    [InlineData("MEDIALIB_MAX_UPLOAD_BYTES", "-5", "MEDIALIB_MAX_UPLOAD_BYTES must be a positive number of bytes.")]
    [InlineData("MEDIALIB_DATABASE", "nonsense value", "MEDIALIB_DATABASE is neither")]
    [InlineData("MEDIALIB_JWT_SIGNING_KEY", "too-short", "MEDIALIB_JWT_SIGNING_KEY must be at least 32 bytes long.")]
    [InlineData("MEDIALIB_DELIVERY", "sideways", "'sideways' at 'MEDIALIB_DELIVERY'")]
    [InlineData("MEDIALIB_CORS_ORIGINS", "www.example.com", "MEDIALIB_CORS_ORIGINS lists 'www.example.com'")]
    [InlineData("MEDIALIB_CLEANUP_INTERVAL_SECONDS", "0", "MEDIALIB_CLEANUP_INTERVAL_SECONDS must be between 1 and 3600.")]
    [InlineData("MEDIALIB_LOW_DISK_MB", "-1", "MEDIALIB_LOW_DISK_MB must be between 0 and 16777216 (16 TiB).")]
    public async Task Start_WithAMisconfiguration_ExitsWithOneLineNamingTheSetting(string key, string value, string message)
    {
        var env = new Dictionary<string, string?> { [key] = value, ["MEDIALIB_DATA_DIR"] = Path.Combine(_workDir, "d") };
        var (exit, output) = await ServiceProcess.RunAsync(_workDir, env, null, "--urls", $"http://127.0.0.1:{Ports.Free()}");
        Assert.Equal(1, exit);
        Assert.Contains("MediaLibrary cannot start: ", output);
        Assert.Contains(message, output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task UsersCli_AddsListsAndChangesPasswords_AndTheServiceHonoursThem()
    {
        var env = new Dictionary<string, string?> { ["MEDIALIB_DATA_DIR"] = Path.Combine(_workDir, "data"), ["MEDIALIB_ADMIN_PASSWORD"] = "admin-password" };

        var add = await ServiceProcess.RunAsync(_workDir, env, "first-password\n", "users", "add", "bob", "--role", "editor");
        Assert.True(add.ExitCode == 0, add.Output);
        Assert.Contains("Added user 'bob' with role editor.", add.Output);
        Assert.DoesNotContain("first-password", add.Output);

        var duplicate = await ServiceProcess.RunAsync(_workDir, env, "another-password\n", "users", "add", "bob", "--role", "viewer");
        Assert.Equal(1, duplicate.ExitCode);
        Assert.Contains("already exists", duplicate.Output);

        var badRole = await ServiceProcess.RunAsync(_workDir, env, "another-password\n", "users", "add", "eve", "--role", "superuser");
        Assert.Equal(1, badRole.ExitCode);
        Assert.Contains("Unknown role", badRole.Output);

        var shortPassword = await ServiceProcess.RunAsync(_workDir, env, "short\n", "users", "add", "eve", "--role", "viewer");
        Assert.Equal(1, shortPassword.ExitCode);

        var usage = await ServiceProcess.RunAsync(_workDir, env, null, "users", "frobnicate");
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("add <name>", usage.Output);

        var withEnv = new Dictionary<string, string?>(env) { [UsersCli.PasswordVariable] = "second-password" };
        var change = await ServiceProcess.RunAsync(_workDir, withEnv, null, "users", "set-password", "bob");
        Assert.True(change.ExitCode == 0, change.Output);

        var list = await ServiceProcess.RunAsync(_workDir, env, null, "users", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Matches(@"bob\teditor\t\d{4}-\d\d-\d\dT", list.Output);
        Assert.DoesNotContain("eve", list.Output);

        var port = Ports.Free();
        await using var service = ServiceProcess.Start(_workDir, env, "--urls", $"http://127.0.0.1:{port}");
        await service.WaitForLineAsync("Now listening on:");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var old = await http.PostAsJsonAsync("/api/auth/token", new { username = "bob", password = "first-password" }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(http, "bob", "second-password"));
        await http.UploadAsync(TestFiles.Png(2, 2));
    }

    [Fact]
    public async Task KeysCli_CreatesListsAndRevokesKeys_AndTheServiceHonoursThem()
    {
        var env = new Dictionary<string, string?> { ["MEDIALIB_DATA_DIR"] = Path.Combine(_workDir, "data"), ["MEDIALIB_ADMIN_PASSWORD"] = "admin-password" };
        string KeyOf(string output) => System.Text.RegularExpressions.Regex.Match(output, "mlk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}").Value;

        var kept = await ServiceProcess.RunAsync(_workDir, env, null, "keys", "create", "Website backend", "--scope", "read", "--scope", "admin",
            "--expires", "2099-01-01");
        Assert.True(kept.ExitCode == 0, kept.Output);
        Assert.Contains("Created API key 1 (", kept.Output);
        Assert.Contains("with scopes read,admin, expiring 2099-01-01T00:00:00Z", kept.Output);
        var revoked = await ServiceProcess.RunAsync(_workDir, env, null, "keys", "create", "Old build", "--scope", "references");
        Assert.True(revoked.ExitCode == 0, revoked.Output);

        var badScope = await ServiceProcess.RunAsync(_workDir, env, null, "keys", "create", "x", "--scope", "superuser");
        Assert.Equal(1, badScope.ExitCode);
        Assert.Contains("Unknown scope 'superuser'", badScope.Output);
        var past = await ServiceProcess.RunAsync(_workDir, env, null, "keys", "create", "x", "--scope", "read", "--expires", "2001-01-01");
        Assert.Equal(1, past.ExitCode);
        Assert.Contains("in the future", past.Output);

        var revoke = await ServiceProcess.RunAsync(_workDir, env, null, "keys", "revoke", "2");
        Assert.True(revoke.ExitCode == 0, revoke.Output);
        Assert.Contains("Revoked API key 2", revoke.Output);
        Assert.Equal(1, (await ServiceProcess.RunAsync(_workDir, env, null, "keys", "revoke", "99")).ExitCode);

        var list = await ServiceProcess.RunAsync(_workDir, env, null, "keys", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Matches(@"1\tmlk_[0-9a-f]{12}\tWebsite backend\tread,admin\t\d{4}-\d\d-\d\dT[^\t]+\t2099-01-01T00:00:00Z\t-\t-", list.Output);
        Assert.Matches(@"2\tmlk_[0-9a-f]{12}\tOld build\treferences\t[^\t]+\t-\t-\t\d{4}-", list.Output);
        Assert.DoesNotContain(KeyOf(kept.Output)[17..], list.Output);

        var port = Ports.Free();
        await using var service = ServiceProcess.Start(_workDir, env, "--urls", $"http://127.0.0.1:{port}");
        await service.WaitForLineAsync("Now listening on:");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/keys") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", KeyOf(kept.Output)) } })
        using (var ok = await http.SendAsync(request, Ct))
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/keys") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", KeyOf(revoked.Output)) } })
        using (var refused = await http.SendAsync(request, Ct))
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task ReconcileCli_DryRunListsAnOrphan_ApplyDeletesIt()
    {
        var data = Path.Combine(_workDir, "data");
        var env = new Dictionary<string, string?> { ["MEDIALIB_DATA_DIR"] = data };
        var key = "0123456789abcdef01234567/89abcdef0123456789abcdef/original";
        var path = Path.Combine(data, "files", key.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, TestFiles.Png(2, 2), Ct);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-2));

        var dryRun = await ServiceProcess.RunAsync(_workDir, env, null, "reconcile");
        Assert.True(dryRun.ExitCode == 0, dryRun.Output);
        Assert.Contains($"orphan\t{key}", dryRun.Output);
        Assert.Contains("Dry run: nothing changed", dryRun.Output);
        Assert.True(File.Exists(path));

        var apply = await ServiceProcess.RunAsync(_workDir, env, null, "reconcile", "--apply", "--grace", "30m");
        Assert.True(apply.ExitCode == 0, apply.Output);
        Assert.Contains("1 orphans queued for deletion", apply.Output);
        Assert.False(File.Exists(path));

        var usage = await ServiceProcess.RunAsync(_workDir, env, null, "reconcile", "--grace", "soon");
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("'soon' is not a duration such as 90s, 30m, 1h or 2d.", usage.Output);
        Assert.Contains("--grace <DURATION>", usage.Output);
    }

    [Fact]
    public async Task Check_WithCloudinaryFromDotEnv_ReportsEachCheckInOneLine_AndAWrongSecretFails()
    {
        await using var stub = await CloudinaryStub.StartAsync();
        var data = Path.Combine(_workDir, "data");
        // Configured the way the system we replace was: USE_CLOUDINARY and the three settings, in a .env file.
        await File.WriteAllLinesAsync(Path.Combine(_workDir, ".env"), [
            "# Cloudinary, as the old system had it",
            "USE_CLOUDINARY=True",
            $"CLOUDINARY_CLOUD_NAME={CloudinaryStub.Cloud}",
            $"CLOUDINARY_API_KEY={CloudinaryStub.ApiKey}",
            $"CLOUDINARY_API_SECRET=\"{CloudinaryStub.ApiSecret}\"",
            $"CLOUDINARY_UPLOAD_PREFIX={stub.BaseUrl}",
            $"export CLOUDINARY_DELIVERY_PREFIX={stub.BaseUrl}",
        ], Ct);
        var env = new Dictionary<string, string?> { ["MEDIALIB_DATA_DIR"] = data };

        var good = await ServiceProcess.RunAsync(_workDir, env, null, "check");
        Assert.True(good.ExitCode == 0, good.Output);
        Assert.Contains("ok    database  SQLite", good.Output);
        Assert.Contains($"ok    storage  cloudinary (cloud {CloudinaryStub.Cloud}", good.Output);
        Assert.Contains("ok    storage (not active)  local", good.Output);
        Assert.DoesNotContain(CloudinaryStub.ApiSecret, good.Output);

        var wrong = new Dictionary<string, string?>(env) { ["CLOUDINARY_API_SECRET"] = "wrong-secret" }; // the environment beats .env
        var bad = await ServiceProcess.RunAsync(_workDir, wrong, null, "check");
        Assert.Equal(1, bad.ExitCode);
        var failure = Assert.Single(bad.Output.Split('\n'), l => l.StartsWith("FAIL", StringComparison.Ordinal));
        Assert.Contains("cloudinary", failure);
        Assert.Contains("answered 401", failure);
        Assert.DoesNotContain("wrong-secret", bad.Output);

        var start = await ServiceProcess.RunAsync(_workDir, wrong, null, "--urls", $"http://127.0.0.1:{Ports.Free()}");
        Assert.Equal(1, start.ExitCode);
        Assert.Contains("MediaLibrary cannot start: the cloudinary storage failed its check", start.Output);
    }

    [Fact]
    public async Task Metrics_ShowUploadRenderCleanupAndDelivery_AsTheyHappened()
    {
        var port = Ports.Free();
        var env = new Dictionary<string, string?>
        {
            ["MEDIALIB_DATA_DIR"] = Path.Combine(_workDir, "data"), ["MEDIALIB_ADMIN_PASSWORD"] = "admin-password", ["MEDIALIB_METRICS"] = "true",
        };
        await using var service = ServiceProcess.Start(_workDir, env, "--urls", $"http://127.0.0.1:{port}");
        await service.WaitForLineAsync("Now listening on:");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(http, "admin", "admin-password"));
        for (var i = 0; i < 3; i++)
        {
            var media = await http.UploadAsync(TestFiles.Png(64 + i, 48));
            using var file = await http.GetAsync(HttpExtensions.PathOf(media.Url), Ct);
            await file.ShouldBe(HttpStatusCode.OK);
            using var variant = await http.GetAsync(HttpExtensions.PathOf(media.Variants[0].Url), Ct);
            await variant.ShouldBe(HttpStatusCode.OK);
            using var deleted = await http.DeleteAsync($"/api/media/{media.Id}", Ct);
            await deleted.ShouldBe(HttpStatusCode.NoContent);
        }
        using (var gone = await http.GetAsync("/files/1/v1/photo.png", Ct)) Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using (await http.GetAsync("/health", Ct)) { } // the backlog gauges as of now

        using var response = await http.GetAsync("/metrics", Ct);
        await response.ShouldBe(HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var lines = text.Split('\n');
        string Line(string prefix, params string[] contains) =>
            lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal) && contains.All(c => l.Contains(c, StringComparison.Ordinal)))
            ?? throw new Xunit.Sdk.XunitException($"No line {prefix} with {string.Join(", ", contains)} in:\n{text}");
        double Value(string line) => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(3, Value(Line("medialibrary_upload_size_bytes_count", "provider=\"local\"")));
        Assert.True(Value(Line("medialibrary_upload_size_bytes_sum")) > 3 * 60);
        Assert.Equal(3, Value(Line("medialibrary_upload_size_bytes_bucket", "le=\"1024\"")));
        Assert.Equal(3, Value(Line("medialibrary_upload_duration_seconds_count", "result=\"ok\"")));
        Assert.Equal(3, Value(Line("medialibrary_render_duration_seconds_count", "format=\"webp\"", "result=\"ok\"")));
        Assert.Equal(6, Value(Line("medialibrary_cleanup_attempts_total", "kind=\"local\"", "result=\"ok\""))); // each original and its one render
        Assert.Equal(0, Value(Line("medialibrary_cleanup_backlog", "status=\"pending\"")));
        Assert.Equal(0, Value(Line("medialibrary_cleanup_oldest_pending_age_seconds")));
        const string files = "http_route=\"/files/{id:long}/v{version:int}/{**name}\"";
        Assert.Equal(3, Value(Line("http_server_request_duration_seconds_count", files, "http_response_status_code=\"200\"")));
        Assert.Equal(1, Value(Line("http_server_request_duration_seconds_count", files, "http_response_status_code=\"404\"")));
    }

    [Fact]
    public async Task MetricsUrl_ServesMetricsOnItsOwnPortOnly_WithoutAToken()
    {
        var (port, metricsPort) = (Ports.Free(), Ports.Free());
        var env = new Dictionary<string, string?>
        {
            ["MEDIALIB_DATA_DIR"] = Path.Combine(_workDir, "data"), ["MEDIALIB_METRICS_URL"] = $"http://127.0.0.1:{metricsPort}",
        };
        await using var service = ServiceProcess.Start(_workDir, env, "--urls", $"http://127.0.0.1:{port}");
        await service.WaitForLineAsync($"Now listening on: http://127.0.0.1:{metricsPort}");
        using var http = new HttpClient();

        using var metrics = await http.GetAsync($"http://127.0.0.1:{metricsPort}/metrics", Ct);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("medialibrary_cleanup_backlog", await metrics.Content.ReadAsStringAsync(Ct));
        using var apiOnMetricsPort = await http.GetAsync($"http://127.0.0.1:{metricsPort}/api/media", Ct);
        Assert.Equal(HttpStatusCode.NotFound, apiOnMetricsPort.StatusCode);
        using var metricsOnServicePort = await http.GetAsync($"http://127.0.0.1:{port}/metrics", Ct);
        Assert.Equal(HttpStatusCode.NotFound, metricsOnServicePort.StatusCode);
        using var api = await http.GetAsync($"http://127.0.0.1:{port}/api/media", Ct);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    [Fact]
    public async Task StorageMigrate_WithoutTheTargetConfigured_SaysWhatIsConfigured()
    {
        var env = new Dictionary<string, string?> { ["MEDIALIB_DATA_DIR"] = Path.Combine(_workDir, "data") };
        var result = await ServiceProcess.RunAsync(_workDir, env, null, "storage", "migrate", "--to", "s3");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("The 's3' storage is not configured; configured: local.", result.Output);
        var usage = await ServiceProcess.RunAsync(_workDir, env, null, "storage", "move");
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("migrate", usage.Output);
        Assert.Contains("'move'", usage.Output);
    }

    private static async Task<string> TokenAsync(HttpClient http, string user, string password)
    {
        using var response = await http.PostAsJsonAsync("/api/auth/token", new { username = user, password }, Ct);
        await response.ShouldBe(HttpStatusCode.OK);
        return (await response.ReadAsync<TokenResponse>()).AccessToken;
    }


    [GeneratedRegex("with the password: (\\S+)")]
    private static partial Regex GeneratedPassword();

    public void Dispose()
    {
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { }
    }
}
