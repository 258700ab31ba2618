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
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MediaLibrary.Tests.Chaos;

/// <summary>
/// Random uploads, edits, replaces and deletes (some of them racing on one media) against a storage that fails,
/// times out after acting, lags, and crashes requests between a commit and a storage call; a database that goes away
/// in the middle of requests for a while; a disk (the storage's, and SQLite's) that fills up and is freed again; with
/// restarts. Every answer is checked as it comes: a 500 only where the request crashed, and an error answer (503,
/// 507) only where nothing changed, unless the database lost a commit's answer. Then the worker drains, and the
/// invariants must hold with no reconcile: every row's object exists, the stored keys are exactly the keys rows
/// reference, no temporary file and no queue entry is left, and every acknowledged change is durable.
/// Reproduce a failure with MEDIALIB_CHAOS_SEED; MEDIALIB_CHAOS_OPERATIONS sets the length (default 2000).
/// The data folder is a small disk of its own (tmpfs), so the run needs root, as CI has.
/// </summary>
public abstract class ChaosTests
{
    protected abstract bool Postgres { get; }

    private sealed class ChaosApp : MediaLibraryApp
    {
        private readonly bool _postgres;
        private readonly int _seed;
        private readonly ChaosDatabase _database;

        public ChaosApp(string dataDir, string? database, bool postgres, int seed, FakeTimeProvider time, ChaosDatabase chaosDatabase) : base(dataDir)
        {
            _postgres = postgres;
            _seed = seed;
            _database = chaosDatabase;
            Time = time;
            KeepData = true;
            if (database is not null) Set("MEDIALIB_DATABASE", database);
            Set("MEDIALIB_CLEANUP_MAX_ATTEMPTS", "1000");
            Set("MEDIALIB_CLEANUP_BASE_DELAY_SECONDS", "1");
            Set("MEDIALIB_LOW_DISK_MB", "0");
            Set("MEDIALIB_TRASH_DAYS", "30"); // deletes go to the trash; restores, permanent deletes and emptying take them out
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
            services.ConfigureDbContext<SqliteMediaDbContext>(o => o.AddInterceptors(new CrashInterceptor()).AddInterceptors(_database.Interceptors));
            services.ConfigureDbContext<PostgresMediaDbContext>(o => o.AddInterceptors(new CrashInterceptor()).AddInterceptors(_database.Interceptors));
        }

        public async Task<int> CleanupPassAsync()
        {
            await using var scope = Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<CleanupQueue>().ProcessDueAsync(1000, null, CancellationToken.None);
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
        public bool Trashed;
        public bool Uncertain; // an outcome the client could not know (a crash, a lost commit, a race): only global checks apply
    }

    /// <summary>An answer as the client saw it, and what the chaos header says it could not see.</summary>
    private sealed record Answer(HttpStatusCode Status, string? Chaos, MediaResponse? Media)
    {
        /// <summary>Crashed, or the database lost the answer to a commit: whether it happened is unknown.</summary>
        public bool Unknown => Chaos is not null;
    }

    /// <summary>Faults with a beginning and an end, driven by the loop: a database outage and a full disk.</summary>
    private sealed class Windows(ChaosDatabase database, SmallDisk disk)
    {
        private string? _filler;
        private int _fullFor;

        public int DiskFulls { get; private set; }
        public bool Open => database.Active || _filler is not null;

        public void Step(Random random)
        {
            if (_filler is not null && --_fullFor <= 0) EndDiskFull();
            if (Open) return;
            var roll = random.Next(200);
            if (roll < 2) database.Arm();
            else if (roll < 4)
            {
                _filler = disk.Fill();
                _fullFor = random.Next(3, 40);
                DiskFulls++;
            }
        }

        /// <summary>Every fault over and off, for a restart or the final drain.</summary>
        public void EndAll()
        {
            database.End();
            database.Enabled = false;
            EndDiskFull();
        }

        private void EndDiskFull()
        {
            if (_filler is null) return;
            File.Delete(_filler);
            _filler = null;
        }
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
        var database = new ChaosDatabase(Postgres, seed);
        var dataDir = Path.Combine(Path.GetTempPath(), "medialib-chaos-" + Guid.NewGuid().ToString("n")[..12]);
        var disk = await SmallDisk.MountAsync(dataDir, megabytes: 64);
        var windows = new Windows(database, disk);
        ChaosApp? app = null;
        var tracked = new Dictionary<long, Tracked>();
        var failedUploadTitles = new List<string>();
        var done = 0;
        var restarts = 0;
        var statuses = new Dictionary<string, int>();
        try
        {
            app = new ChaosApp(dataDir, null, Postgres, seed, time, database);
            await app.InitializeAsync();
            var client = await app.ClientAsync();
            var admin = await app.ClientAsync(MediaLibrary.Auth.Roles.Admin);
            (app.Chaos.Enabled, database.Enabled) = (true, true);
            while (done < operations)
            {
                if (done > 0 && done / 500 > restarts)
                {
                    // An orderly restart over the same data (the crashes above are the abrupt ones), with the faults over.
                    restarts++;
                    windows.EndAll();
                    await app.DisposeAsync();
                    app = new ChaosApp(dataDir, app.Database, Postgres, seed + restarts, time, database);
                    await app.InitializeAsync();
                    client = await app.ClientAsync();
                    admin = await app.ClientAsync(MediaLibrary.Auth.Roles.Admin);
                    (app.Chaos.Enabled, database.Enabled) = (true, true);
                }
                windows.Step(random);
                if (random.Next(40) == 0)
                {
                    var advance = !windows.Open; // time moves on (tokens age) only where a new token can be had
                    if (advance) time.Advance(TimeSpan.FromMinutes(random.Next(1, 10)));
                    // The worker, under the same faults: where the database fails, so does its pass, and nothing is lost.
                    try { await app.CleanupPassAsync(); }
                    catch (Exception ex) when (DatabaseFault.Classify(ex) != DatabaseFaultKind.None) { }
                    if (advance) (client, admin) = (await NewClientAsync(app), await NewClientAsync(app, MediaLibrary.Auth.Roles.Admin));
                }

                var live = tracked.Values.Where(t => t is { Deleted: false, Trashed: false }).ToList();
                var trashed = tracked.Values.Where(t => t is { Trashed: true, Deleted: false, Uncertain: false }).ToList();
                var roll = random.Next(100);
                if (live.Count < 5 || roll < 30)
                {
                    var title = $"c{done}-{seed}";
                    var answer = Check("upload", await UploadAsync(client, random, title), statuses);
                    if (answer.Media is { } media) tracked[media.Id] = new Tracked { Id = media.Id, Title = title, Sha256 = media.Sha256 };
                    else if (answer.Chaos != "uncertain") failedUploadTitles.Add(title); // a crashed upload never reaches its row
                    done++;
                    continue;
                }

                var target = live[random.Next(live.Count)];
                if (roll < 48)
                {
                    var title = $"p{done}";
                    var answer = Check("patch", await PatchAsync(client, target.Id, title), statuses);
                    if (answer.Status == HttpStatusCode.OK) target.Title = title;
                    else target.Uncertain |= answer.Unknown || answer.Status == HttpStatusCode.NotFound;
                    done++;
                }
                else if (roll < 66)
                {
                    var answer = Check("replace", await ReplaceAsync(client, random, target.Id), statuses);
                    if (answer.Media is { } media) { target.Sha256 = media.Sha256; target.Version = media.Version; }
                    else target.Uncertain |= answer.Unknown || answer.Status == HttpStatusCode.NotFound;
                    done++;
                }
                else if (roll < 74)
                {
                    // A media in use answers 409 (and stays) unless the delete is forced; to the trash, or for good.
                    var permanent = random.Next(4) == 0;
                    var answer = Check("delete", await DeleteAsync(client, target.Id, force: random.Next(3) == 0, permanent), statuses);
                    if (answer.Status == HttpStatusCode.NoContent) Gone(target, permanent);
                    else target.Uncertain |= answer.Unknown || answer.Status == HttpStatusCode.NotFound; // 409, 503, 507: still there
                    done++;
                }
                else if (roll < 78 && trashed.Count > 0)
                {
                    // Out of the trash: a restore, a permanent delete, the whole trash emptied, or a restore racing the purge.
                    var item = trashed[random.Next(trashed.Count)];
                    switch (random.Next(4))
                    {
                        case 0:
                            Restored(item, Check("restore", await RestoreAsync(client, item.Id), statuses));
                            break;
                        case 1:
                            var answer = Check("purge", await DeleteAsync(client, item.Id, force: false, permanent: true), statuses);
                            if (answer.Status == HttpStatusCode.NoContent) item.Deleted = true;
                            else item.Uncertain |= answer.Unknown || answer.Status == HttpStatusCode.NotFound;
                            break;
                        default:
                            var restore = random.Next(2) == 0 ? RestoreAsync(client, item.Id) : null;
                            var emptied = await EmptyTrashAsync(admin);
                            Check("empty trash", emptied.Answer, statuses);
                            Emptied(trashed.Where(t => restore is null || t != item), emptied);
                            if (restore is not null) Restored(item, Check("restore racing a purge", await restore, statuses), racing: true);
                            break;
                    }
                    done++;
                }
                else if (roll < 86)
                {
                    // A bulk request over a few media: delete (through the delete path), or a title and a tag for each.
                    var chosen = live.OrderBy(_ => random.Next()).Take(random.Next(1, 4)).ToList();
                    var delete = random.Next(2) == 0;
                    var title = $"b{done}";
                    var permanent = delete && random.Next(3) == 0;
                    var (answer, items) = await BulkAsync(client, chosen.Select(c => c.Id), delete, permanent, title);
                    Check(delete ? "bulk delete" : "bulk edit", answer, statuses);
                    foreach (var t in chosen)
                    {
                        var status = items?.GetValueOrDefault(t.Id);
                        if (answer.Unknown || answer.Status != HttpStatusCode.OK || status is null or 404) t.Uncertain = true;
                        else if (status == 204) Gone(t, permanent);
                        else if (status == 200 && !delete) t.Title = title;
                        // 503: not changed, the database failed
                    }
                    done += chosen.Count;
                }
                else
                {
                    // Two requests racing on one media; or a website registering where it uses media while one is deleted.
                    var pair = random.Next(6);
                    var used = live.OrderBy(_ => random.Next()).Take(random.Next(1, 4)).Select(t => t.Id).Append(target.Id).ToArray();
                    Task<Answer>[] racing = pair switch
                    {
                        4 => [PutReferenceAsync(client, target.Id, $"page:/{done}"), DeleteAsync(client, target.Id, force: false, permanent: false)],
                        5 => [SyncReferencesAsync(client, $"page:/s{random.Next(5)}", used), DeleteAsync(client, target.Id, force: true, permanent: false)],
                        0 => [DeleteAsync(client, target.Id, force: true, permanent: false), DeleteAsync(client, target.Id, force: true, permanent: false)],
                        1 => [DeleteAsync(client, target.Id, force: true, permanent: false), ReplaceAsync(client, new Random(random.Next()), target.Id)],
                        2 => [ReplaceAsync(client, new Random(random.Next()), target.Id), ReplaceAsync(client, new Random(random.Next()), target.Id)],
                        _ => [ReplaceAsync(client, new Random(random.Next()), target.Id), PatchAsync(client, target.Id, $"r{done}")],
                    };
                    var results = (await Task.WhenAll(racing)).Select(a => Check("race", a, statuses)).ToList();
                    if (pair == 0) Assert.True(results.Count(r => r.Status == HttpStatusCode.NoContent) <= 1, "two deletes of one media both answered 204");
                    if (pair <= 1 && results[0].Status == HttpStatusCode.NoContent)
                    {
                        target.Trashed = true;
                        // A replace that answered with the media landed before the delete (a trashed media's replace is
                        // 404), so the trash holds its version: a restore brings that one back.
                        if (pair == 1 && results[1].Media is { } replaced) (target.Sha256, target.Version) = (replaced.Sha256, replaced.Version);
                        else if (pair == 1 && results[1].Unknown) target.Uncertain = true; // a replace that may have landed
                    }
                    else if (pair >= 4 && results[1].Status == HttpStatusCode.NoContent) target.Trashed = true;
                    else if (pair < 4 || results[1].Unknown || results[1].Status == HttpStatusCode.NotFound) target.Uncertain = true;
                    done += 2;
                }
            }

            // The faults end: the worker drains everything. No reconcile: what was written and never committed is
            // removed by the entry recorded before its first byte.
            windows.EndAll();
            app.Chaos.Enabled = false;
            await DrainAsync(app);

            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{done} operations, {restarts} restarts, {database.Outages} database outages and {database.Blips} blips ({database.Refused} calls refused), " +
                $"{windows.DiskFulls} full disks; " +
                $"{app.Chaos.Faults} storage faults and {app.Chaos.Crashes} crashes in the last run; " +
                string.Join(", ", statuses.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} {kv.Value}")));
            await CheckInvariantsAsync(app, tracked, failedUploadTitles);
        }
        finally
        {
            windows.EndAll();
            if (app is not null)
            {
                app.KeepData = false;
                await app.DisposeAsync();
            }
            SqliteConnection.ClearAllPools();
            await disk.DisposeAsync();
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>A delete answered 204: for good, or to the trash.</summary>
    private static void Gone(Tracked t, bool permanent)
    {
        if (permanent) t.Deleted = true;
        else t.Trashed = true;
    }

    /// <summary>
    /// A restore's answer: 200 brings it back as it was (same version and file); 404 means it was purged, which only a
    /// purge racing it may have done; anything else changed nothing, and a purge racing it may still have purged it
    /// (a restore refused with 503 while the trash was emptied: still in the trash, or gone).
    /// </summary>
    private static void Restored(Tracked t, Answer answer, bool racing = false)
    {
        if (answer.Unknown) t.Uncertain = true;
        else if (answer.Media is { } media)
        {
            Assert.Equal((t.Version, t.Sha256), (media.Version, media.Sha256));
            t.Trashed = false;
        }
        else if (answer.Status == HttpStatusCode.NotFound && racing) t.Deleted = true;
        else if (racing) t.Uncertain = true;
        else if (answer.Status is HttpStatusCode.NotFound or HttpStatusCode.Conflict) t.Uncertain = true;
    }

    /// <summary>The trash emptied: all of it purged when the answer says none is left; otherwise each may or may not be.</summary>
    private static void Emptied(IEnumerable<Tracked> inTrash, (Answer Answer, int? Remaining) emptied)
    {
        var all = emptied.Answer.Status == HttpStatusCode.OK && emptied.Remaining == 0 && !emptied.Answer.Unknown;
        foreach (var t in inTrash)
        {
            if (all) t.Deleted = true;
            else t.Uncertain = true; // made due and partly purged, or refused (503) part way: the rows are checked as they are
        }
    }

    /// <summary>A client with a fresh token, asked for until a blip of the database lets it through.</summary>
    private static async Task<HttpClient> NewClientAsync(ChaosApp app, string role = MediaLibrary.Auth.Roles.Editor)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await app.ClientAsync(role);
            }
            catch (Exception ex) when (DatabaseFault.Classify(ex) != DatabaseFaultKind.None && attempt < 100)
            {
            }
        }
    }

    /// <summary>
    /// What may be answered: a 500 only to a request that crashed (a real client sees a lost connection). An error
    /// answer to a change is checked later against the data: it must have changed nothing, unless it is marked unknown.
    /// </summary>
    private static Answer Check(string op, Answer answer, Dictionary<string, int> statuses)
    {
        var key = $"{op} {(int)answer.Status}";
        statuses[key] = statuses.GetValueOrDefault(key) + 1;
        if (answer.Status == HttpStatusCode.InternalServerError && answer.Chaos != "crashed")
            Assert.Fail($"{op} answered 500 though nothing crashed: a fault the service should have answered 503 (or a commit it should have answered 2xx)");
        return answer;
    }

    private static async Task DrainAsync(ChaosApp app)
    {
        for (var round = 0; round < 50; round++)
        {
            if (await app.WithDbAsync(db => db.PendingDeletions.CountAsync()) == 0) return;
            app.Time.Advance(TimeSpan.FromHours(2)); // past every lease, backoff and upload grace period
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

        // The counts the list reads, kept by triggers through every insert, replace, trash, restore and delete, match the
        // rows in the library (not those in the trash).
        var counts = await app.WithDbAsync(db => db.MediaCounts.AsNoTracking().Where(c => c.Count != 0).ToDictionaryAsync(c => c.ContentType, c => c.Count));
        Assert.Equal(rows.Where(r => r.TrashedAt is null).GroupBy(r => r.ContentType).ToDictionary(g => g.Key, g => (long)g.Count()), counts);

        // The stored keys are exactly the keys rows reference: no orphan, nothing pending, nothing dead, no partial file.
        Assert.Equal(rows.Select(r => r.StorageKey).Order(StringComparer.Ordinal), app.StoredKeys());
        Assert.Equal(0, await app.WithDbAsync(db => db.PendingDeletions.CountAsync()));
        Assert.Empty(app.TempFiles());

        // Every acknowledged change is durable, and every refused one changed nothing.
        foreach (var t in tracked.Values)
        {
            if (t.Deleted)
            {
                Assert.False(byId.ContainsKey(t.Id), $"media {t.Id} was deleted (204) but its row is back");
                continue;
            }
            if (t.Uncertain) continue;
            Assert.True(byId.TryGetValue(t.Id, out var row), $"media {t.Id} was created (201) and its deletes refused, but it is gone");
            Assert.True(t.Trashed == row!.TrashedAt is not null, $"media {t.Id} should {(t.Trashed ? "" : "not ")}be in the trash");
            Assert.Equal(t.Title, row.Title);
            Assert.Equal(t.Sha256, row.Sha256);
            Assert.Equal(t.Version, row.Version);
        }
        Assert.DoesNotContain(rows, r => failedUploadTitles.Contains(r.Title));

        // The history is written in each change's transaction: every row has its creation, every media deleted for good
        // (as acknowledged) its deletion or purge, and each row in the trash its last move there.
        var history = (await app.WithDbAsync(db => db.History.AsNoTracking().Select(h => new { h.MediaId, h.Action, h.Id }).ToListAsync()))
            .ToLookup(h => h.MediaId);
        foreach (var row in rows)
        {
            Assert.Contains(history[row.Id], h => h.Action == "created");
            if (row.TrashedAt is not null)
                Assert.Equal("trashed", history[row.Id].Where(h => h.Action is "trashed" or "restored").MaxBy(h => h.Id)?.Action);
        }
        foreach (var t in tracked.Values.Where(t => t.Deleted))
            Assert.Contains(history[t.Id], h => h.Action is "deleted" or "purged");

        // Each media's reference count is its references, counted in the transaction of every change; none outlives its media.
        var referenceCounts = await app.WithDbAsync(db => db.MediaReferences.GroupBy(r => r.MediaId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count));
        foreach (var row in rows) Assert.Equal(referenceCounts.GetValueOrDefault(row.Id), row.ReferenceCount);
        foreach (var id in referenceCounts.Keys) Assert.True(byId.ContainsKey(id), $"a reference to media {id}, which is gone");

        // And the reconciler finds nothing to do, even for objects written a moment ago.
        await using var scope = app.Services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<Reconciler>().RunAsync(new ReconcileRequest(Apply: false, TimeSpan.Zero), CancellationToken.None);
        Assert.Empty(report.Orphans);
        Assert.Empty(report.Dangling);
        Assert.Empty(report.StaleUploads);
    }

    private static byte[] RandomFile(Random random)
    {
        if (random.Next(2) == 0) return TestFiles.Png(random.Next(1, 40), random.Next(1, 40), (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
        var padding = new byte[random.Next(0, 20_000)];
        random.NextBytes(padding);
        return TestFiles.Pdf().Concat(padding).ToArray();
    }

    private static async Task<Answer> AnswerAsync(HttpResponseMessage response, HttpStatusCode success)
    {
        using (response)
        {
            var chaos = response.Headers.TryGetValues(CrashScope.Header, out var values) ? values.Single() : null;
            var media = response.StatusCode == success && success != HttpStatusCode.NoContent ? await response.ReadAsync<MediaResponse>() : null;
            return new Answer(response.StatusCode, chaos, media);
        }
    }

    private static async Task<Answer> UploadAsync(HttpClient client, Random random, string title) =>
        await AnswerAsync(await client.PostAsync("/api/media", TestFiles.Form(RandomFile(random), "f.bin", title)), HttpStatusCode.Created);

    private static async Task<Answer> ReplaceAsync(HttpClient client, Random random, long id) =>
        await AnswerAsync(await client.PutAsync($"/api/media/{id}/file", TestFiles.Form(RandomFile(random), "r.bin")), HttpStatusCode.OK);

    private static async Task<Answer> PatchAsync(HttpClient client, long id, string title) =>
        await AnswerAsync(await client.PatchAsJsonAsync($"/api/media/{id}", new { title }), HttpStatusCode.OK);

    /// <summary>POST /api/media/bulk: delete, or edit each title; the status of each media when the request was answered.</summary>
    private static async Task<(Answer Answer, Dictionary<long, int>? Items)> BulkAsync(HttpClient client, IEnumerable<long> ids, bool delete, bool permanent,
        string title)
    {
        object body = delete ? new { action = "delete", ids, permanent } : new { action = "edit", ids, title };
        using var response = await client.PostAsJsonAsync("/api/media/bulk", body, HttpExtensions.Json);
        var chaos = response.Headers.TryGetValues(CrashScope.Header, out var values) ? values.Single() : null;
        var items = response.StatusCode == HttpStatusCode.OK
            ? (await response.ReadAsync<MediaLibrary.Api.BulkResponse>()).Results.ToDictionary(r => r.Id, r => r.Status)
            : null;
        return (new Answer(response.StatusCode, chaos, null), items);
    }

    private static async Task<Answer> DeleteAsync(HttpClient client, long id, bool force, bool permanent) =>
        await AnswerAsync(await client.DeleteAsync($"/api/media/{id}?force={(force ? "true" : "false")}&permanent={(permanent ? "true" : "false")}"),
            HttpStatusCode.NoContent);

    private static async Task<Answer> RestoreAsync(HttpClient client, long id) =>
        await AnswerAsync(await client.PostAsync($"/api/media/{id}/restore", null), HttpStatusCode.OK);

    /// <summary>DELETE /api/trash (an admin): the answer, and how many the worker is left to purge.</summary>
    private static async Task<(Answer Answer, int? Remaining)> EmptyTrashAsync(HttpClient admin)
    {
        using var response = await admin.DeleteAsync("/api/trash");
        var chaos = response.Headers.TryGetValues(CrashScope.Header, out var values) ? values.Single() : null;
        int? remaining = response.StatusCode == HttpStatusCode.OK ? (await response.ReadAsync<MediaLibrary.Api.EmptyTrashResponse>()).Remaining : null;
        return (new Answer(response.StatusCode, chaos, null), remaining);
    }

    /// <summary>A reference on one media; its answer's body (a reference, not a media) is not read.</summary>
    private static async Task<Answer> PutReferenceAsync(HttpClient client, long id, string key) =>
        await AnswerAsync(await client.PutAsJsonAsync($"/api/media/{id}/references", new { key }), HttpStatusCode.NoContent);

    private static async Task<Answer> SyncReferencesAsync(HttpClient client, string key, long[] mediaIds) =>
        await AnswerAsync(await client.PutAsJsonAsync("/api/references", new { key, media_ids = mediaIds }, HttpExtensions.Json), HttpStatusCode.NoContent);
}

public sealed class SqliteChaosTests : ChaosTests
{
    protected override bool Postgres => false;
}

public sealed class PostgresChaosTests : ChaosTests
{
    protected override bool Postgres => true;
}
