using System.Text.RegularExpressions;
using MediaLibrary.Storage;
using MediaLibrary.Tests.Infrastructure;
using Npgsql;

namespace MediaLibrary.Tests.Process;

/// <summary>Two real server processes on one PostgreSQL database and one storage folder.</summary>
public sealed partial class MultiNodeTests : IDisposable
{
    private readonly string _workDir = Directory.CreateTempSubdirectory("medialib-nodes-").FullName;

    [Fact]
    public async Task TwoNodes_ATokenEndedOrAKeyRevokedOnOne_StopsWorkingOnTheOther_WithinFiveSeconds()
    {
        var database = await (await PostgresServer.GetAsync()).CreateDatabaseAsync();
        Dictionary<string, string?> Env(string node) => NodeEnv(database, node);
        var (urlA, urlB) = ($"http://127.0.0.1:{Ports.Free()}", $"http://127.0.0.1:{Ports.Free()}");
        await using var nodeA = ServiceProcess.Start(_workDir, Env("a"), "--urls", urlA);
        await nodeA.WaitForLineAsync("Now listening on:");
        await using var nodeB = ServiceProcess.Start(_workDir, Env("b"), "--urls", urlB);
        await nodeB.WaitForLineAsync("Now listening on:");
        using var a = new HttpClient { BaseAddress = new Uri(urlA) };
        using var b = new HttpClient { BaseAddress = new Uri(urlB) };

        var admin = await SignInAsync(a, "admin", "admin-password");
        using (var add = await SendAsync(a, HttpMethod.Post, "/api/admin/users", admin, new { username = "erin", role = "editor", password = "erin-password" }))
            Assert.Equal(System.Net.HttpStatusCode.Created, add.StatusCode);
        // Signed in on A, used on B: both nodes know the sign-in, and B now remembers it as standing.
        var erin = await SignInAsync(a, "erin", "erin-password");
        using (var check = await SendAsync(b, HttpMethod.Post, "/api/auth/files-cookie", erin))
            Assert.Equal(System.Net.HttpStatusCode.NoContent, check.StatusCode);

        using (var downgrade = await SendAsync(a, HttpMethod.Patch, "/api/admin/users/erin", admin, new { role = "viewer" }))
            Assert.Equal(System.Net.HttpStatusCode.OK, downgrade.StatusCode);
        using (var onA = await SendAsync(a, HttpMethod.Post, "/api/auth/files-cookie", erin))
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, onA.StatusCode); // at once on the node that changed it

        var clock = System.Diagnostics.Stopwatch.StartNew();
        System.Net.HttpStatusCode onB;
        do
        {
            using var response = await SendAsync(b, HttpMethod.Post, "/api/auth/files-cookie", erin);
            onB = response.StatusCode;
            if (onB == System.Net.HttpStatusCode.Unauthorized) break;
            await Task.Delay(200, TestContext.Current.CancellationToken);
        } while (clock.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, onB);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"node B honoured the ended token for {clock.Elapsed.TotalSeconds:0.0} s");

        // An API key created on A works on B; revoked on A, it is refused on A at once and on B within five seconds.
        string key;
        long keyId;
        using (var create = await SendAsync(a, HttpMethod.Post, "/api/admin/keys", admin, new { name = "Website backend", scopes = new[] { "write" } }))
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, create.StatusCode);
            var created = await create.ReadAsync<MediaLibrary.Auth.ApiKeyEndpoints.NewApiKeyResponse>();
            (key, keyId) = (created.Key, created.Id);
        }
        var folders = 0;
        async Task<System.Net.HttpStatusCode> NewFolderAsync(HttpClient node)
        {
            using var response = await SendAsync(node, HttpMethod.Post, "/api/folders", key, new { name = $"by key {++folders}" });
            return response.StatusCode;
        }
        Assert.Equal(System.Net.HttpStatusCode.Created, await NewFolderAsync(b));
        using (var revoke = await SendAsync(a, HttpMethod.Delete, $"/api/admin/keys/{keyId}", admin))
            Assert.Equal(System.Net.HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await NewFolderAsync(a));
        clock.Restart();
        do
        {
            onB = await NewFolderAsync(b);
            if (onB == System.Net.HttpStatusCode.Unauthorized) break;
            await Task.Delay(200, TestContext.Current.CancellationToken);
        } while (clock.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, onB);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"node B honoured the revoked key for {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private static async Task<string> SignInAsync(HttpClient http, string user, string password)
    {
        using var response = await SendAsync(http, HttpMethod.Post, "/api/auth/token", null, new { username = user, password });
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.ReadAsync<MediaLibrary.Auth.TokenResponse>()).AccessToken;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string? token, object? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = System.Net.Http.Json.JsonContent.Create(json);
        if (token is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task TwoNodes_WorkEachPendingDeletionExactlyOnce()
    {
        const int entries = 1000;
        var database = await (await PostgresServer.GetAsync()).CreateDatabaseAsync();
        var storage = SharedStorage;
        Dictionary<string, string?> Env(string node) => NodeEnv(database, node, new() { ["MEDIALIB_CLEANUP_INTERVAL_SECONDS"] = "1" });

        await using var nodeA = ServiceProcess.Start(_workDir, Env("a"), "--urls", $"http://127.0.0.1:{Ports.Free()}");
        await nodeA.WaitForLineAsync("Now listening on:");
        await using var nodeB = ServiceProcess.Start(_workDir, Env("b"), "--urls", $"http://127.0.0.1:{Ports.Free()}");
        await nodeB.WaitForLineAsync("Now listening on:");

        // A backlog as a crashed third node would leave it: committed deletions, objects still stored, no lease.
        var keys = Enumerable.Range(0, entries).Select(_ => StorageKeys.Original(StorageKeys.NewId(), StorageKeys.NewId())).ToList();
        foreach (var key in keys)
        {
            var path = Path.Combine(storage, key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, [1, 2, 3], TestContext.Current.CancellationToken);
        }
        await using (var conn = new NpgsqlConnection(database))
        {
            await conn.OpenAsync(TestContext.Current.CancellationToken);
            await using var insert = new NpgsqlCommand("""
                INSERT INTO pending_deletions ("StorageKey", "Provider", "Reason", "Status", "Attempts", "CreatedAt", "NextAttemptAt")
                SELECT k, 'local', 'deleted', 0, 0, now() at time zone 'utc', now() at time zone 'utc' FROM unnest(@keys) AS k
                """, conn);
            insert.Parameters.AddWithValue("keys", keys.ToArray());
            Assert.Equal(entries, await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        }

        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && await PendingAsync(database) > 0) await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.Equal(0, await PendingAsync(database));
        Assert.All(keys, k => Assert.False(File.Exists(Path.Combine(storage, k))));

        // Every entry was attempted once, by one node: the lease let no two nodes work the same entry.
        var byA = Attempts(nodeA.Output);
        var byB = Attempts(nodeB.Output);
        var all = byA.Concat(byB).ToList();
        Assert.Equal(entries, all.Count);
        Assert.Equal(keys.Order(StringComparer.Ordinal), all.Order(StringComparer.Ordinal));
        TestContext.Current.TestOutputHelper?.WriteLine($"node A deleted {byA.Count}, node B deleted {byB.Count}");
        Assert.True(byA.Count > 0 && byB.Count > 0, $"both nodes should have worked the backlog (A {byA.Count}, B {byB.Count})");
    }

    private static List<string> Attempts(string output) => AttemptLine().Matches(output).Select(m => m.Groups[1].Value).ToList();

    private static async Task<long> PendingAsync(string database)
    {
        await using var conn = new NpgsqlConnection(database);
        await conn.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM pending_deletions", conn);
        return (long)(await count.ExecuteScalarAsync())!;
    }


    [GeneratedRegex(@"Deleting (\S+) of media .* attempt 1 ")]
    private static partial Regex AttemptLine();

    private string SharedStorage => Path.Combine(_workDir, "shared-storage");

    /// <summary>One node's settings: the shared database, storage and signing key, a data folder of its own, and <paramref name="more"/>.</summary>
    private Dictionary<string, string?> NodeEnv(string database, string node, Dictionary<string, string?>? more = null)
    {
        var env = new Dictionary<string, string?>
        {
            ["MEDIALIB_DATABASE"] = database,
            ["MEDIALIB_STORAGE_ROOT"] = SharedStorage,
            ["MEDIALIB_DATA_DIR"] = Path.Combine(_workDir, node),
            ["MEDIALIB_JWT_SIGNING_KEY"] = "a-shared-signing-key-of-at-least-32-bytes",
            ["MEDIALIB_ADMIN_PASSWORD"] = "admin-password",
        };
        foreach (var (key, value) in more ?? []) env[key] = value;
        return env;
    }

    public void Dispose()
    {
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { }
    }
}
