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
    public async Task TwoNodes_WorkEachPendingDeletionExactlyOnce()
    {
        const int entries = 1000;
        var database = await (await PostgresServer.GetAsync()).CreateDatabaseAsync();
        var storage = Path.Combine(_workDir, "shared-storage");
        Dictionary<string, string?> Env(string node) => new()
        {
            ["MEDIALIB_DATABASE"] = database,
            ["MEDIALIB_STORAGE_ROOT"] = storage,
            ["MEDIALIB_DATA_DIR"] = Path.Combine(_workDir, node),
            ["MEDIALIB_JWT_SIGNING_KEY"] = "a-shared-signing-key-of-at-least-32-bytes",
            ["MEDIALIB_ADMIN_PASSWORD"] = "admin-password",
            ["MEDIALIB_CLEANUP_INTERVAL_SECONDS"] = "1",
        };

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

    public void Dispose()
    {
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { }
    }
}
