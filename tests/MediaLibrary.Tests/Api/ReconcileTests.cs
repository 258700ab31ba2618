using System.Net;
using MediaLibrary.Cleanup;
using MediaLibrary.Storage;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MediaLibrary.Tests.Api;

/// <summary>The reconciler finds what a crash left behind: objects without rows, rows without objects.</summary>
public abstract class ReconcileTests(ReconcileTests.App app)
{
    public class App : MediaLibraryApp
    {
        public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

        protected override void ConfigureTestServices(IServiceCollection services)
        {
            services.AddSingleton<TimeProvider>(Time);
            foreach (var worker in services.Where(d => d.ImplementationType == typeof(CleanupWorker)).ToList()) services.Remove(worker);
        }

        public async Task<ReconcileReport> ReconcileAsync(bool apply, int batchSize = 500, TimeSpan? grace = null)
        {
            await using var scope = Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<Reconciler>()
                .RunAsync(new ReconcileRequest(apply, grace ?? TimeSpan.FromHours(1), batchSize), CancellationToken.None);
        }

        /// <summary>What a crash between "object stored" and "row committed" leaves: an object nobody knows.</summary>
        public async Task<string> StrandObjectAsync()
        {
            var key = StorageKeys.Original(StorageKeys.NewId(), StorageKeys.NewId());
            await Storage.UploadAsync(key, new MemoryStream(TestFiles.Png(2, 2)), "image/png", CancellationToken.None);
            return key;
        }
    }

    public sealed class PostgresApp : App
    {
        public override bool UsePostgres => true;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Orphan_IsReportedOnlyAfterTheGracePeriod_AndDeletedOnlyWithApply()
    {
        var orphan = await app.StrandObjectAsync();
        var media = await (await app.ClientAsync()).UploadAsync(TestFiles.Png(3, 3));

        // Young: maybe an upload on its way to a commit. (The fake clock may run ahead of the files' real times.)
        var drift = app.Time.GetUtcNow() - DateTimeOffset.UtcNow;
        Assert.DoesNotContain((await app.ReconcileAsync(apply: false, grace: drift + TimeSpan.FromHours(1))).Orphans, o => o.Key == orphan);
        app.Time.Advance(TimeSpan.FromHours(2));

        var dryRun = await app.ReconcileAsync(apply: false);
        Assert.Contains(dryRun.Orphans, o => o.Key == orphan);
        Assert.DoesNotContain(dryRun.Orphans, o => o.Key == media.Sha256);
        Assert.Contains(orphan, app.StoredKeys());

        var applied = await app.ReconcileAsync(apply: true);
        Assert.Contains(applied.Orphans, o => o.Key == orphan);
        Assert.DoesNotContain(orphan, app.StoredKeys());
        Assert.Contains(await app.StorageKeyAsync(media.Id), app.StoredKeys());
        Assert.DoesNotContain((await app.ReconcileAsync(apply: false)).Orphans, o => o.Key == orphan);
    }

    [Fact]
    public async Task TemporaryFilesOfDeadUploads_AreReportedAfterTheGracePeriod_AndRemovedWithApply_FreshOnesKept()
    {
        var temp = Path.Combine(app.StorageRoot, ".tmp");
        var (stale, fresh) = (Guid.NewGuid().ToString("n"), Guid.NewGuid().ToString("n"));
        File.WriteAllBytes(Path.Combine(temp, stale), [1, 2, 3]);
        File.WriteAllBytes(Path.Combine(temp, fresh), [4]);
        // Times against the fake clock: one left two hours ago by a process that died, one being written now.
        File.SetLastWriteTimeUtc(Path.Combine(temp, stale), app.Time.GetUtcNow().UtcDateTime - TimeSpan.FromHours(2));
        File.SetLastWriteTimeUtc(Path.Combine(temp, fresh), app.Time.GetUtcNow().UtcDateTime);

        var dryRun = await app.ReconcileAsync(apply: false);
        Assert.Contains(dryRun.StaleUploads, u => u.Upload.UploadId == stale && u.Upload.Key is null);
        Assert.DoesNotContain(dryRun.StaleUploads, u => u.Upload.UploadId == fresh);
        Assert.True(File.Exists(Path.Combine(temp, stale)));

        await app.ReconcileAsync(apply: true);
        Assert.False(File.Exists(Path.Combine(temp, stale)));
        Assert.True(File.Exists(Path.Combine(temp, fresh)));
        Assert.Contains(app.Logs.GetSnapshot(), r => r.Message.Contains($"Aborted the unfinished upload {stale}") && r.Message.Contains("result=ok"));
        File.Delete(Path.Combine(temp, fresh));
    }

    [Fact]
    public async Task DanglingRow_IsReported_FlaggedWithApply_AndUnflaggedWhenTheObjectIsBack()
    {
        var client = await app.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Png(3, 3));
        var key = await app.StorageKeyAsync(media.Id);
        var path = Path.Combine(app.StorageRoot, key);
        var bytes = await File.ReadAllBytesAsync(path, Ct);
        File.Delete(path); // lost outside the service's control

        var dryRun = await app.ReconcileAsync(apply: false);
        Assert.Contains(new DanglingRow(media.Id, key), dryRun.Dangling);
        Assert.Null(await MissingSince(media.Id));

        await app.ReconcileAsync(apply: true);
        Assert.NotNull(await MissingSince(media.Id));
        using var file = await client.GetAsync(HttpExtensions.PathOf(media.Url), Ct);
        await file.ProblemAsync(HttpStatusCode.NotFound);

        await File.WriteAllBytesAsync(path, bytes, Ct); // restored from a backup
        var again = await app.ReconcileAsync(apply: true);
        Assert.DoesNotContain(again.Dangling, d => d.MediaId == media.Id);
        Assert.True(again.Restored >= 1);
        Assert.Null(await MissingSince(media.Id));
    }

    [Fact]
    public async Task ObjectsAwaitingDeletion_AreNotOrphans()
    {
        var client = await app.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Png(3, 3));
        var key = await app.StorageKeyAsync(media.Id);
        app.Storage.FailDeletes = true;
        try
        {
            using var response = await client.DeleteAsync($"/api/media/{media.Id}", Ct);
            await response.ShouldBe(HttpStatusCode.NoContent);
        }
        finally
        {
            app.Storage.FailDeletes = false;
        }
        app.Time.Advance(TimeSpan.FromHours(2));
        var report = await app.ReconcileAsync(apply: true);
        Assert.DoesNotContain(report.Orphans, o => o.Key == key);
        Assert.Equal(1, await app.WithDbAsync(db => db.PendingDeletions.CountAsync(p => p.StorageKey == key)));
    }

    [Fact]
    public async Task InterruptedRun_ResumesWhereItStopped()
    {
        var orphans = new List<string>();
        for (var i = 0; i < 25; i++) orphans.Add(await app.StrandObjectAsync());
        app.Time.Advance(TimeSpan.FromHours(2));

        app.Storage.FailListAfter = 12;
        try
        {
            await Assert.ThrowsAsync<StorageException>(() => app.ReconcileAsync(apply: true, batchSize: 5));
        }
        finally
        {
            app.Storage.FailListAfter = null;
        }
        var cursor = await app.WithDbAsync(db => db.ReconcileCursors.SingleAsync(c => c.Name == "apply"));
        Assert.Equal("objects:local", cursor.Phase);
        Assert.NotNull(cursor.LastKey);
        var deletedBeforeStop = orphans.Count(o => !app.StoredKeys().Contains(o));
        Assert.InRange(deletedBeforeStop, 1, 24);

        var resumed = await app.ReconcileAsync(apply: true, batchSize: 5);
        Assert.True(resumed.Resumed);
        Assert.True(resumed.ObjectsScanned < orphans.Count + await app.WithDbAsync(db => db.Media.CountAsync()));
        Assert.All(orphans, o => Assert.DoesNotContain(o, app.StoredKeys()));
        Assert.Equal(0, await app.WithDbAsync(db => db.ReconcileCursors.CountAsync()));
        var accounted = (await app.ReferencedKeysAsync()).Concat(await app.WithDbAsync(db => db.PendingDeletions.Select(p => p.StorageKey).ToListAsync()));
        Assert.Empty(app.StoredKeys().Except(accounted));
    }

    private Task<DateTime?> MissingSince(long id) =>
        app.WithDbAsync(db => db.Media.Where(m => m.Id == id).Select(m => m.MissingSince).SingleAsync());
}

public sealed class SqliteReconcileTests(ReconcileTests.App app) : ReconcileTests(app), IClassFixture<ReconcileTests.App>;

public sealed class PostgresReconcileTests(ReconcileTests.PostgresApp app) : ReconcileTests(app), IClassFixture<ReconcileTests.PostgresApp>;
