using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using MediaLibrary.Cleanup;
using MediaLibrary.Data;
using MediaLibrary.Delivery;
using MediaLibrary.Media;
using MediaLibrary.Storage;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MediaLibrary.Tests.Chaos;

/// <summary>
/// Random uploads, edits, replaces and deletes (some of them racing on one media) against a storage that fails,
/// times out after acting, lags, and crashes requests between a commit and a storage call; with restarts. Then
/// the worker drains, the reconciler runs, and the invariants must hold: every row's object exists, the stored
/// keys are exactly the keys rows reference, and every acknowledged change is durable.
/// Reproduce a failure with MEDIALIB_CHAOS_SEED; MEDIALIB_CHAOS_OPERATIONS sets the length (default 2000).
/// </summary>
public abstract class ChaosTests
{
    protected abstract bool Postgres { get; }

    private sealed class ChaosApp : MediaLibraryApp
    {
        private readonly bool _postgres;
        private readonly int _seed;

        public ChaosApp(string? dataDir, string? database, bool postgres, int seed, FakeTimeProvider time) : base(dataDir)
        {
            _postgres = postgres;
            _seed = seed;
            Time = time;
            KeepData = true;
            if (database is not null) Set("MEDIALIB_DATABASE", database);
            Set("MEDIALIB_CLEANUP_MAX_ATTEMPTS", "1000");
            Set("MEDIALIB_CLEANUP_BASE_DELAY_SECONDS", "1");
        }

        public FakeTimeProvider Time { get; }
        public ChaosBlobStore Chaos { get; private set; } = null!;
        public override bool UsePostgres => _postgres;

        protected override IBlobStore WrapStore(IBlobStore store) => Chaos = new ChaosBlobStore(store, _seed);

        protected override void ConfigureTestServices(IServiceCollection services)
        {
            services.AddSingleton<TimeProvider>(Time);
            foreach (var worker in services.Where(d => d.ImplementationType == typeof(CleanupWorker)).ToList()) services.Remove(worker);
            services.AddTransient<IStartupFilter, CrashScopeStartupFilter>();
            services.ConfigureDbContext<SqliteMediaDbContext>(o => o.AddInterceptors(new CrashInterceptor()));
            services.ConfigureDbContext<PostgresMediaDbContext>(o => o.AddInterceptors(new CrashInterceptor()));
        }

        public async Task<int> CleanupPassAsync()
        {
            await using var scope = Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<CleanupQueue>().ProcessDueAsync(1000, CancellationToken.None);
        }
    }

    /// <summary>What the client was told, per media: only acknowledged (2xx) results count.</summary>
    private sealed class Tracked
    {
        public required long Id;
        public required string Title;
        public required string Sha256;
        public int Version = 1;
        public bool Deleted;
        public bool Uncertain; // an outcome the client could not know (a crash, a race): only global checks apply
    }

    [Fact]
    public async Task RandomOperationsUnderFaultsAndCrashes_LeaveNoOrphansNoDanglingRows_AndEveryAcknowledgedChangeDurable()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("MEDIALIB_CHAOS_SEED"), out var s) ? s : Random.Shared.Next();
        var operations = int.TryParse(Environment.GetEnvironmentVariable("MEDIALIB_CHAOS_OPERATIONS"), out var n) ? n : 2000;
        TestContext.Current.TestOutputHelper?.WriteLine($"chaos seed {seed}, {operations} operations, {(Postgres ? "PostgreSQL" : "SQLite")}");
        try
        {
            await RunAsync(seed, operations);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"Chaos run failed. Reproduce with MEDIALIB_CHAOS_SEED={seed} MEDIALIB_CHAOS_OPERATIONS={operations}: {ex.Message}", ex);
        }
    }

    private async Task RunAsync(int seed, int operations)
    {
        var random = new Random(seed);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var app = new ChaosApp(null, null, Postgres, seed, time);
        await app.InitializeAsync();
        var tracked = new Dictionary<long, Tracked>();
        var failedUploadTitles = new List<string>();
        var done = 0;
        var restarts = 0;
        var statuses = new Dictionary<string, int>();
        var stranded = new HashSet<string>();
        try
        {
            app.Chaos.Enabled = true;
            var client = await app.ClientAsync();
            while (done < operations)
            {
                if (done > 0 && done / 500 > restarts)
                {
                    // An orderly restart over the same data (the crashes above are the abrupt ones).
                    restarts++;
                    stranded.UnionWith(app.Chaos.StrandedKeys);
                    await app.DisposeAsync();
                    app = new ChaosApp(app.DataDir, app.Database, Postgres, seed + restarts, time);
                    await app.InitializeAsync();
                    app.Chaos.Enabled = true;
                    client = await app.ClientAsync();
                }
                if (random.Next(40) == 0)
                {
                    time.Advance(TimeSpan.FromMinutes(random.Next(1, 10)));
                    await app.CleanupPassAsync(); // the worker, under the same faults
                    client = await app.ClientAsync();
                }

                var live = tracked.Values.Where(t => !t.Deleted).ToList();
                var roll = random.Next(100);
                if (live.Count < 5 || roll < 30)
                {
                    var title = $"c{done}-{seed}";
                    var (status, media) = await UploadAsync(client, random, title);
                    Count(statuses, "upload", status);
                    if (media is not null) tracked[media.Id] = new Tracked { Id = media.Id, Title = title, Sha256 = media.Sha256 };
                    else failedUploadTitles.Add(title);
                    done++;
                    continue;
                }

                var target = live[random.Next(live.Count)];
                if (roll < 48)
                {
                    var title = $"p{done}";
                    var status = await PatchAsync(client, target.Id, title);
                    Count(statuses, "patch", status);
                    if (status == HttpStatusCode.OK) target.Title = title;
                    else target.Uncertain |= status != HttpStatusCode.NotFound;
                    done++;
                }
                else if (roll < 66)
                {
                    var (status, media) = await ReplaceAsync(client, random, target.Id);
                    Count(statuses, "replace", status);
                    if (media is not null) { target.Sha256 = media.Sha256; target.Version = media.Version; }
                    else if ((int)status >= 500 && status != HttpStatusCode.ServiceUnavailable) target.Uncertain = true;
                    done++;
                }
                else if (roll < 82)
                {
                    var status = await DeleteAsync(client, target.Id);
                    Count(statuses, "delete", status);
                    if (status == HttpStatusCode.NoContent) target.Deleted = true;
                    else target.Uncertain = true;
                    done++;
                }
                else
                {
                    // Two requests racing on one media.
                    var pair = random.Next(4);
                    Task<HttpStatusCode>[] racing = pair switch
                    {
                        0 => [DeleteAsync(client, target.Id), DeleteAsync(client, target.Id)],
                        1 => [DeleteAsync(client, target.Id), ReplaceStatusAsync(client, new Random(random.Next()), target.Id)],
                        2 => [ReplaceStatusAsync(client, new Random(random.Next()), target.Id), ReplaceStatusAsync(client, new Random(random.Next()), target.Id)],
                        _ => [ReplaceStatusAsync(client, new Random(random.Next()), target.Id), PatchAsync(client, target.Id, $"r{done}")],
                    };
                    var results = await Task.WhenAll(racing);
                    foreach (var r in results) Count(statuses, "race", r);
                    if (pair == 0) Assert.True(results.Count(r => r == HttpStatusCode.NoContent) <= 1, "two deletes of one media both answered 204");
                    if (pair <= 1 && results[0] == HttpStatusCode.NoContent) target.Deleted = true;
                    else target.Uncertain = true;
                    done += 2;
                }
            }

            // Storage is healthy again: let the worker drain everything, then reconcile what crashes left.
            app.Chaos.Enabled = false;
            await DrainAsync(app);
            time.Advance(TimeSpan.FromHours(2));
            ReconcileReport reconciled;
            await using (var scope = app.Services.CreateAsyncScope())
                reconciled = await scope.ServiceProvider.GetRequiredService<Reconciler>().RunAsync(new ReconcileRequest(Apply: true, TimeSpan.FromHours(1)), CancellationToken.None);
            await DrainAsync(app);

            // Orphans may only come from writes the service never learnt succeeded (a crash or a timeout after the
            // write). An orphan from anywhere else means a code path dropped an object it should have deleted.
            stranded.UnionWith(app.Chaos.StrandedKeys);
            Assert.Empty(reconciled.Orphans.Select(o => o.Key).Except(stranded));
            Assert.Empty(reconciled.Dangling);

            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{done} operations, {restarts} restarts, {app.Chaos.Faults} injected faults and {app.Chaos.Crashes} crashes in the last run; " +
                string.Join(", ", statuses.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} {kv.Value}")));
            await CheckInvariantsAsync(app, tracked, failedUploadTitles);
        }
        finally
        {
            app.KeepData = false;
            await app.DisposeAsync();
        }
    }

    private static async Task DrainAsync(ChaosApp app)
    {
        for (var round = 0; round < 50; round++)
        {
            if (await app.WithDbAsync(db => db.PendingDeletions.CountAsync()) == 0) return;
            app.Time.Advance(TimeSpan.FromHours(2)); // past every lease and backoff
            while (await app.CleanupPassAsync() > 0) { }
        }
        var left = await app.WithDbAsync(db => db.PendingDeletions.AsNoTracking().ToListAsync());
        Assert.Fail($"{left.Count} deletions did not drain: {string.Join("; ", left.Take(5).Select(p => $"{p.StorageKey} {p.Status} {p.LastError}"))}");
    }

    private static async Task CheckInvariantsAsync(ChaosApp app, Dictionary<long, Tracked> tracked, List<string> failedUploadTitles)
    {
        var rows = await app.WithDbAsync(db => db.Media.AsNoTracking().ToListAsync());
        var byId = rows.ToDictionary(r => r.Id);

        // Every row's object exists and holds exactly the bytes the row describes; nothing is flagged missing.
        foreach (var row in rows)
        {
            var path = Path.Combine(app.StorageRoot, row.StorageKey);
            Assert.True(File.Exists(path), $"dangling row: media {row.Id} → {row.StorageKey}");
            Assert.Equal(row.Sha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path))));
            Assert.Null(row.MissingSince);
        }

        // The counts the list reads, kept by triggers through every insert, replace and delete, match the rows.
        var counts = await app.WithDbAsync(db => db.MediaCounts.AsNoTracking().Where(c => c.Count != 0).ToDictionaryAsync(c => c.ContentType, c => c.Count));
        Assert.Equal(rows.GroupBy(r => r.ContentType).ToDictionary(g => g.Key, g => (long)g.Count()), counts);

        // The stored keys are exactly the keys rows reference: no orphan, nothing pending, nothing dead.
        Assert.Equal(rows.Select(r => r.StorageKey).Order(StringComparer.Ordinal), app.StoredKeys());
        Assert.Equal(0, await app.WithDbAsync(db => db.PendingDeletions.CountAsync()));
        Assert.Empty(app.TempFiles());

        // Every acknowledged change is durable.
        foreach (var t in tracked.Values)
        {
            if (t.Deleted)
            {
                Assert.False(byId.ContainsKey(t.Id), $"media {t.Id} was deleted (204) but its row is back");
                continue;
            }
            if (t.Uncertain) continue;
            Assert.True(byId.TryGetValue(t.Id, out var row), $"media {t.Id} was created (201) and never deleted, but is gone");
            Assert.Equal(t.Title, row!.Title);
            Assert.Equal(t.Sha256, row.Sha256);
            Assert.Equal(t.Version, row.Version);
        }
        Assert.DoesNotContain(rows, r => failedUploadTitles.Contains(r.Title));

        // And the reconciler, run again, finds nothing left to do.
        await using var scope = app.Services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<Reconciler>().RunAsync(new ReconcileRequest(Apply: false, TimeSpan.Zero), CancellationToken.None);
        Assert.Empty(report.Orphans);
        Assert.Empty(report.Dangling);
    }

    private static void Count(Dictionary<string, int> statuses, string op, HttpStatusCode status)
    {
        var key = $"{op} {(int)status}";
        statuses[key] = statuses.GetValueOrDefault(key) + 1;
    }

    private static byte[] RandomFile(Random random)
    {
        if (random.Next(2) == 0) return TestFiles.Png(random.Next(1, 40), random.Next(1, 40), (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
        var padding = new byte[random.Next(0, 20_000)];
        random.NextBytes(padding);
        return TestFiles.Pdf().Concat(padding).ToArray();
    }

    private static async Task<(HttpStatusCode, MediaResponse?)> UploadAsync(HttpClient client, Random random, string title)
    {
        using var response = await client.PostAsync("/api/media", TestFiles.Form(RandomFile(random), "f.bin", title));
        return (response.StatusCode, response.StatusCode == HttpStatusCode.Created ? await response.ReadAsync<MediaResponse>() : null);
    }

    private static async Task<(HttpStatusCode, MediaResponse?)> ReplaceAsync(HttpClient client, Random random, long id)
    {
        using var response = await client.PutAsync($"/api/media/{id}/file", TestFiles.Form(RandomFile(random), "r.bin"));
        return (response.StatusCode, response.StatusCode == HttpStatusCode.OK ? await response.ReadAsync<MediaResponse>() : null);
    }

    private static async Task<HttpStatusCode> ReplaceStatusAsync(HttpClient client, Random random, long id) => (await ReplaceAsync(client, random, id)).Item1;

    private static async Task<HttpStatusCode> PatchAsync(HttpClient client, long id, string title)
    {
        using var response = await client.PatchAsJsonAsync($"/api/media/{id}", new { title });
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> DeleteAsync(HttpClient client, long id)
    {
        using var response = await client.DeleteAsync($"/api/media/{id}");
        return response.StatusCode;
    }
}

public sealed class SqliteChaosTests : ChaosTests
{
    protected override bool Postgres => false;
}

public sealed class PostgresChaosTests : ChaosTests
{
    protected override bool Postgres => true;
}
