using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MediaLibrary.Auth;
using MediaLibrary.Cleanup;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace MediaLibrary.Tests.Api;

/// <summary>A storage outage during delete and replace: the request succeeds, the deletion waits and drains.</summary>
public abstract class OutageTests(OutageTests.App app)
{
    public class App : MediaLibraryApp
    {
        public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

        public App()
        {
            Set("MEDIALIB_CLEANUP_MAX_ATTEMPTS", "4");
            Set("MEDIALIB_CLEANUP_BASE_DELAY_SECONDS", "10");
        }

        protected override void ConfigureTestServices(IServiceCollection services)
        {
            services.AddSingleton<TimeProvider>(Time);
            // The tests run the passes themselves, so the background loop must not race them.
            foreach (var worker in services.Where(d => d.ImplementationType == typeof(CleanupWorker)).ToList()) services.Remove(worker);
        }

        /// <summary>One worker pass, as the background loop would run it, at the fake clock's time.</summary>
        public async Task<int> RunCleanupPassAsync()
        {
            await using var scope = Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<CleanupQueue>().ProcessDueAsync(100, null, CancellationToken.None);
        }
    }

    public sealed class PostgresApp : App
    {
        public override bool UsePostgres => true;
    }

    private enum Outage { Transient, Permanent }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Delete_WhenStorageFails_KeepsPendingDeletionAndRetriesUntilStorageIsBack()
    {
        var key = await DeleteDuringOutageAsync(Outage.Transient, async key =>
        {
            var pending = await Pending(key);
            Assert.Equal(PendingDeletionStatus.Pending, pending.Status);
            Assert.Equal(1, pending.Attempts);
            Assert.Contains("storage unreachable", pending.LastError);
            Assert.Null(pending.LeaseUntil);
            Assert.True(pending.NextAttemptAt > app.Time.GetUtcNow().UtcDateTime);
            Assert.Contains(app.Logs.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Exception is not null && r.Message.Contains(key) && r.Message.Contains("result=retry"));

            Assert.Equal(0, await app.RunCleanupPassAsync()); // not yet due
            app.Time.Advance(TimeSpan.FromSeconds(13));
            Assert.Equal(1, await app.RunCleanupPassAsync());
            Assert.Equal(2, (await Pending(key)).Attempts);
        });

        app.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, await app.RunCleanupPassAsync());
        Assert.DoesNotContain(key, app.StoredKeys());
        Assert.Equal(0, await app.WithDbAsync(db => db.PendingDeletions.CountAsync(p => p.StorageKey == key)));
    }

    [Fact]
    public async Task Delete_AfterTooManyFailures_MarksTheEntryDeadAndKeepsIt()
    {
        var key = await DeleteDuringOutageAsync(Outage.Transient, async key =>
        {
            for (var i = 0; i < 3; i++)
            {
                app.Time.Advance(TimeSpan.FromHours(2));
                await app.RunCleanupPassAsync();
            }
            var dead = await Pending(key);
            Assert.Equal(PendingDeletionStatus.Dead, dead.Status);
            Assert.Equal(4, dead.Attempts);

            app.Time.Advance(TimeSpan.FromHours(2));
            Assert.Equal(0, await app.RunCleanupPassAsync()); // dead entries wait for an operator
            Assert.Contains(app.Logs.GetSnapshot(), r => r.Level == LogLevel.Error && r.Message.Contains(key) && r.Message.Contains("result=dead"));
        });
        Assert.Contains(key, app.StoredKeys());
    }

    [Fact]
    public async Task Delete_WithPermanentStorageError_IsDeadAtOnce_NeverTreatedAsDone()
    {
        var key = await DeleteDuringOutageAsync(Outage.Permanent, _ => Task.CompletedTask);
        var entry = await Pending(key);
        Assert.Equal(PendingDeletionStatus.Dead, entry.Status);
        Assert.Contains("no retry can make valid", entry.LastError);
        Assert.Contains(key, app.StoredKeys());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Delete_WhenTheStorageFolderDeniesAccess_KeepsRetrying_AndDrainsOnceAnOperatorFixesIt()
    {
        var client = await app.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Png(4, 4));
        var key = await app.StorageKeyAsync(media.Id);
        var folder = Path.GetDirectoryName(Path.Combine(app.StorageRoot, key))!;
        using (ReadOnlyFolder.Make(folder))
        {
            using (var response = await client.DeleteAsync($"/api/media/{media.Id}", Ct)) await response.ShouldBe(HttpStatusCode.NoContent);
            var entry = await Pending(key);
            Assert.Equal(PendingDeletionStatus.Pending, entry.Status);
            Assert.Contains("denied", entry.LastError);

            app.Time.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal(1, await app.RunCleanupPassAsync());
            entry = await Pending(key);
            Assert.Equal((PendingDeletionStatus.Pending, 2), (entry.Status, entry.Attempts));
            Assert.Contains(key, app.StoredKeys());
        }

        // The operator fixes the folder; no one retries anything by hand.
        app.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await app.RunCleanupPassAsync());
        Assert.DoesNotContain(key, app.StoredKeys());
        Assert.Equal(0, await app.WithDbAsync(db => db.PendingDeletions.CountAsync(p => p.StorageKey == key)));
    }

    /// <summary>
    /// A folder nothing may delete from, as a wrong owner or mode makes it: for a root process (which ignores modes)
    /// the immutable attribute, otherwise mode 0555. Checked before use, so the test never passes by not denying.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private sealed class ReadOnlyFolder : IDisposable
    {
        private readonly string _folder;
        private readonly UnixFileMode _mode;
        private readonly bool _immutable;

        private ReadOnlyFolder(string folder)
        {
            _folder = folder;
            _mode = File.GetUnixFileMode(folder);
            _immutable = Environment.UserName == "root";
            if (_immutable) Chattr("+i");
            else File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
            try
            {
                File.WriteAllBytes(Path.Combine(folder, "probe"), [1]);
            }
            catch (UnauthorizedAccessException)
            {
                return; // denied, as wanted
            }
            Dispose();
            throw new InvalidOperationException($"Could not make {folder} deny writes on this machine.");
        }

        public static ReadOnlyFolder Make(string folder) => new(folder);

        private void Chattr(string change)
        {
            using var chattr = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("chattr", [change, _folder]) { RedirectStandardError = true })!;
            chattr.WaitForExit();
            if (chattr.ExitCode != 0) throw new InvalidOperationException($"chattr {change} {_folder}: {chattr.StandardError.ReadToEnd()}");
        }

        public void Dispose()
        {
            if (_immutable) Chattr("-i");
            else File.SetUnixFileMode(_folder, _mode);
        }
    }

    [Fact]
    public async Task Replace_WhoseBookkeepingFailsAfterTheCommit_Answers200_AndTheNextPassFinishesIt()
    {
        var client = await app.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Png(4, 4));
        var oldKey = await app.StorageKeyAsync(media.Id);
        // A real database fault: removing a done entry fails (a trigger refuses deletes from the queue, except the
        // upload's own entry, which the commit itself removes).
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(app.UsePostgres
            ? """
              CREATE FUNCTION refuse_done() RETURNS trigger AS $$ BEGIN
                IF OLD."Reason" <> 'upload' THEN RAISE EXCEPTION 'injected: the queue refuses deletes'; END IF;
                RETURN OLD;
              END $$ LANGUAGE plpgsql;
              CREATE TRIGGER refuse_done BEFORE DELETE ON pending_deletions FOR EACH ROW EXECUTE FUNCTION refuse_done();
              """
            : """
              CREATE TRIGGER refuse_done BEFORE DELETE ON pending_deletions WHEN OLD."Reason" <> 'upload'
              BEGIN SELECT RAISE(ABORT, 'injected: the queue refuses deletes'); END;
              """, Ct));
        try
        {
            using var response = await client.PutAsync($"/api/media/{media.Id}/file", TestFiles.Form(TestFiles.Png(5, 5)), Ct);
            await response.ShouldBe(HttpStatusCode.OK);
            Assert.Equal(2, (await response.ReadAsync<MediaLibrary.Delivery.MediaResponse>()).Version);
            Assert.DoesNotContain(oldKey, app.StoredKeys()); // the inline attempt did delete it
            // The entry that could not be removed is handed to the next pass at once, not after its lease.
            var entry = await Pending(oldKey);
            Assert.Null(entry.LeaseUntil);
            Assert.True(entry.NextAttemptAt <= app.Time.GetUtcNow().UtcDateTime);
            Assert.Contains(app.Logs.GetSnapshot(), r => r.Message.Contains(oldKey) && r.Message.Contains("result=ok-unrecorded"));
        }
        finally
        {
            await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(app.UsePostgres
                ? "DROP TRIGGER refuse_done ON pending_deletions; DROP FUNCTION refuse_done();"
                : "DROP TRIGGER refuse_done;", Ct));
        }
        Assert.True(await app.RunCleanupPassAsync() >= 1);
        Assert.Equal(0, await app.WithDbAsync(db => db.PendingDeletions.CountAsync(p => p.StorageKey == oldKey)));
    }

    [Fact]
    public async Task PendingEntries_AreClaimedByOneWorkerAtATime()
    {
        var key = await DeleteDuringOutageAsync(Outage.Transient, _ => Task.CompletedTask);
        app.Time.Advance(TimeSpan.FromMinutes(1));
        var passes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => app.RunCleanupPassAsync()));
        Assert.Equal(1, passes.Sum());
        Assert.DoesNotContain(key, app.StoredKeys());
    }

    [Fact]
    public async Task Replace_WhenOldObjectCannotBeDeleted_SucceedsAndTheOldObjectDrainsLater()
    {
        var client = await app.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Png(4, 4));
        var oldKey = await app.StorageKeyAsync(media.Id);
        app.Storage.FailDeletes = true;
        try
        {
            using var response = await client.PutAsync($"/api/media/{media.Id}/file", TestFiles.Form(TestFiles.Png(5, 5)), Ct);
            await response.ShouldBe(HttpStatusCode.OK);
            Assert.Contains(oldKey, app.StoredKeys());
            Assert.Equal("replaced", (await Pending(oldKey)).Reason);
        }
        finally
        {
            app.Storage.FailDeletes = false;
        }
        app.Time.Advance(TimeSpan.FromMinutes(1));
        await app.RunCleanupPassAsync();
        Assert.DoesNotContain(oldKey, app.StoredKeys());
        Assert.Contains(await app.StorageKeyAsync(media.Id), app.StoredKeys());
    }

    [Fact]
    public async Task Admin_SeesAStorageOutageAsPendingAndDeadDeletions_AndRetryDrainsThem()
    {
        var admin = await app.ClientAsync(Roles.Admin);
        var deadKey = await DeleteDuringOutageAsync(Outage.Permanent, _ => Task.CompletedTask);
        var waitingKey = await DeleteDuringOutageAsync(Outage.Transient, _ => Task.CompletedTask);

        var backlog = await admin.GetFromJsonAsync<JsonElement>("/api/admin/deletions", Ct);
        Assert.True(backlog.GetProperty("dead_count").GetInt32() >= 1);
        Assert.True(backlog.GetProperty("pending_count").GetInt32() >= 1);
        Assert.True(backlog.GetProperty("counters").GetProperty("failures").GetInt64() >= 2);
        var dead = backlog.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("storage_key").GetString() == deadKey);
        Assert.Equal("dead", dead.GetProperty("status").GetString());
        Assert.Contains("no retry can make valid", dead.GetProperty("last_error").GetString());
        var deadOnly = await admin.GetFromJsonAsync<JsonElement>("/api/admin/deletions?status=dead", Ct);
        Assert.All(deadOnly.GetProperty("entries").EnumerateArray(), e => Assert.Equal("dead", e.GetProperty("status").GetString()));

        app.Time.Advance(TimeSpan.FromMinutes(30));
        var health = await app.CreateClient().GetFromJsonAsync<JsonElement>("/health", Ct);
        Assert.Equal("Degraded", health.GetProperty("status").GetString());
        Assert.Equal("Degraded", health.GetProperty("checks").GetProperty("deletions").GetProperty("status").GetString());

        // Storage is back: the waiting one drains by itself, the dead one on an operator's word.
        await app.RunCleanupPassAsync();
        Assert.DoesNotContain(waitingKey, app.StoredKeys());
        Assert.Contains(deadKey, app.StoredKeys());
        using var retry = await admin.PostAsync($"/api/admin/deletions/{dead.GetProperty("id").GetInt64()}/retry", null, Ct);
        await retry.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("done", (await retry.ReadAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.DoesNotContain(deadKey, app.StoredKeys());
        Assert.Equal(0, await app.WithDbAsync(db => db.PendingDeletions.CountAsync(p => p.StorageKey == deadKey || p.StorageKey == waitingKey)));

        using var missing = await admin.PostAsync("/api/admin/deletions/99999999/retry", null, Ct);
        await missing.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Admin_Endpoints_NeedTheAdminRole()
    {
        using var anonymous = await app.CreateClient().GetAsync("/api/admin/deletions", Ct);
        await anonymous.ProblemAsync(HttpStatusCode.Unauthorized);
        using var editor = await (await app.ClientAsync(Roles.Editor)).GetAsync("/api/admin/deletions", Ct);
        await editor.ProblemAsync(HttpStatusCode.Forbidden);
        using var bad = await (await app.ClientAsync(Roles.Admin)).GetAsync("/api/admin/deletions?status=gone", Ct);
        await bad.ProblemAsync(HttpStatusCode.BadRequest);
    }

    /// <summary>
    /// Uploads a file, deletes it while storage deletes fail, checks the request still succeeded and the object is
    /// still there, and runs <paramref name="during"/> before storage comes back. Returns the object's key.
    /// </summary>
    private async Task<string> DeleteDuringOutageAsync(Outage outage, Func<string, Task> during)
    {
        var client = await app.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Png(4, 4));
        var key = await app.StorageKeyAsync(media.Id);
        if (outage == Outage.Permanent) app.Storage.FailDeletesPermanently = true;
        else app.Storage.FailDeletes = true;
        try
        {
            using var response = await client.DeleteAsync($"/api/media/{media.Id}", Ct);
            await response.ShouldBe(HttpStatusCode.NoContent);
            Assert.Equal(0, await app.WithDbAsync(db => db.Media.CountAsync(m => m.Id == media.Id)));
            Assert.Contains(key, app.StoredKeys());
            await during(key);
        }
        finally
        {
            app.Storage.FailDeletes = false;
            app.Storage.FailDeletesPermanently = false;
        }
        return key;
    }

    private Task<PendingDeletion> Pending(string key) =>
        app.WithDbAsync(db => db.PendingDeletions.AsNoTracking().SingleAsync(p => p.StorageKey == key));
}

public sealed class SqliteOutageTests(OutageTests.App app) : OutageTests(app), IClassFixture<OutageTests.App>;

public sealed class PostgresOutageTests(OutageTests.PostgresApp app) : OutageTests(app), IClassFixture<OutageTests.PostgresApp>;
