using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using MediaLibrary.Cleanup;
using MediaLibrary.Delivery;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Tests.Api;

/// <summary>
/// MEDIALIB_CACHE_PURGE_URL against a stand-in cache that records the PURGE requests it gets (the real nginx of
/// docs/nginx.conf is in NginxAccelTests): retired versions are purged through the outbox, at once and once more later.
/// Run on SQLite and on a real PostgreSQL server.
/// </summary>
public abstract class CachePurgeTests(CachePurgeTests.App app)
{
    /// <summary>Answers PURGE with <see cref="Status"/> and remembers each one.</summary>
    public sealed class PurgeStub : IAsyncDisposable
    {
        private readonly WebApplication _app;
        public ConcurrentQueue<(string Method, string Path)> Requests { get; } = new();
        public int Status { get; set; } = StatusCodes.Status200OK;

        private PurgeStub(WebApplication app) => _app = app;

        public string BaseUrl => StubServer.BaseUrlOf(_app);

        public static async Task<PurgeStub> StartAsync()
        {
            PurgeStub stub = null!;
            var app = await StubServer.StartAsync(context =>
            {
                stub.Requests.Enqueue((context.Request.Method, context.Request.Path.ToUriComponent()));
                context.Response.StatusCode = stub.Status;
                return Task.CompletedTask;
            });
            return stub = new PurgeStub(app);
        }

        public List<string> PurgesOf(long mediaId) =>
            Requests.Where(r => r.Path.StartsWith($"/files/{mediaId}/", StringComparison.Ordinal)).Select(r => $"{r.Method} {r.Path}").ToList();

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }

    public class App : MediaLibraryApp
    {
        public PurgeStub Cache { get; private set; } = null!;

        public App()
        {
            Set("MEDIALIB_CLEANUP_INTERVAL_SECONDS", "1");
            Set("MEDIALIB_CLEANUP_BASE_DELAY_SECONDS", "0.2");
            Set("MEDIALIB_CACHE_PURGE_AGAIN_SECONDS", "2");
        }

        public override async ValueTask InitializeAsync()
        {
            Cache = await PurgeStub.StartAsync();
            Set("MEDIALIB_CACHE_PURGE_URL", Cache.BaseUrl + "/");
            await base.InitializeAsync();
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Cache.DisposeAsync();
        }

        public Task<List<PendingDeletion>> PurgesQueuedAsync(long mediaId) =>
            WithDbAsync(db => db.PendingDeletions.AsNoTracking().Where(p => p.MediaId == mediaId && p.Provider == CachePurger.Provider).ToListAsync());

        public async Task WaitUntilNoPurgesQueuedAsync(long mediaId)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await PurgesQueuedAsync(mediaId)).Count > 0 && DateTime.UtcNow < deadline)
                await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    public sealed class PostgresApp : App
    {
        public override bool UsePostgres => true;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Delete_PurgesTheVersionAtOnce_AndOnceMoreAfterTheGracePeriod()
    {
        var client = await app.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Png(3, 3), "Sea view.png");
        Assert.Empty(app.Cache.PurgesOf(media.Id)); // an upload retires nothing

        using (var deleted = await client.DeleteAsync($"/api/media/{media.Id}", Ct)) await deleted.ShouldBe(HttpStatusCode.NoContent);

        var purge = $"PURGE /files/{media.Id}/v1/Sea%20view.png";
        Assert.Equal([purge], app.Cache.PurgesOf(media.Id)); // inline, before the DELETE answered
        var again = Assert.Single(await app.PurgesQueuedAsync(media.Id));
        Assert.Equal($"files/{media.Id}/v1/Sea%20view.png", again.StorageKey);
        Assert.Equal("deleted, again", again.Reason);
        Assert.InRange((again.NextAttemptAt - again.CreatedAt).TotalSeconds, 1.9, 2.1);

        await app.WaitUntilNoPurgesQueuedAsync(media.Id);
        Assert.Equal([purge, purge], app.Cache.PurgesOf(media.Id));
        Assert.Empty(await app.PurgesQueuedAsync(media.Id));
        // The queue's lines say what it did: purged the URL (twice), not "deleted" it.
        var lines = app.Logs.GetSnapshot().Where(l => l.StructuredState?.Any(f => f.Key == "StorageKey" && f.Value == again.StorageKey) == true).ToList();
        Assert.Equal(2, lines.Count(l => l.Message.StartsWith("Purging ", StringComparison.Ordinal) && l.Message.Contains("result=ok")));
        Assert.DoesNotContain(lines, l => l.Message.Contains("Deleting"));
    }

    [Fact]
    public async Task Delete_OfALongNonAsciiName_PurgesItsWholeUrl()
    {
        // 250 characters of three UTF-8 bytes each: the escaped URL path is over 2,000 characters long.
        var name = new string('日', 250) + ".png";
        var client = await app.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Png(3, 3), name);
        Assert.Equal(name, media.FileName);

        using (var deleted = await client.DeleteAsync($"/api/media/{media.Id}", Ct)) await deleted.ShouldBe(HttpStatusCode.NoContent);
        var purge = Assert.Single(app.Cache.PurgesOf(media.Id));
        Assert.Equal($"PURGE /files/{media.Id}/v1/{Uri.EscapeDataString(name)}", purge);
        Assert.True(purge.Length > 2000);
    }

    [Fact]
    public async Task Replace_PurgesTheRetiredVersionByItsOldName_NotTheNewOne()
    {
        var client = await app.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Png(3, 3), "before.png");
        using (var replaced = await client.PutAsync($"/api/media/{media.Id}/file", TestFiles.Form(TestFiles.Png(5, 5), "after.png"), Ct))
            await replaced.ShouldBe(HttpStatusCode.OK);

        Assert.Equal([$"PURGE /files/{media.Id}/v1/before.png"], app.Cache.PurgesOf(media.Id));
        await app.WaitUntilNoPurgesQueuedAsync(media.Id);
        Assert.All(app.Cache.PurgesOf(media.Id), p => Assert.Equal($"PURGE /files/{media.Id}/v1/before.png", p));
    }

    [Fact]
    public async Task WhenTheCacheFails_TheDeleteStillSucceeds_AndThePurgeIsRetriedUntilTheCacheConfirms()
    {
        var client = await app.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Png(3, 3), "retry.png");
        app.Cache.Status = StatusCodes.Status503ServiceUnavailable;
        try
        {
            using (var deleted = await client.DeleteAsync($"/api/media/{media.Id}", Ct)) await deleted.ShouldBe(HttpStatusCode.NoContent);
            var failed = (await app.PurgesQueuedAsync(media.Id)).Single(p => p.Reason == "deleted");
            Assert.Equal(1, failed.Attempts);
            Assert.Contains("503", failed.LastError);
            Assert.Equal(PendingDeletionStatus.Pending, failed.Status);
        }
        finally
        {
            app.Cache.Status = StatusCodes.Status404NotFound; // "not in the cache" is a confirmation too
        }
        await app.WaitUntilNoPurgesQueuedAsync(media.Id);
        Assert.Empty(await app.PurgesQueuedAsync(media.Id));
        Assert.True(app.Cache.PurgesOf(media.Id).Count >= 3); // the failed one, its retry, and the later one
        app.Cache.Status = StatusCodes.Status200OK;
    }

    [Fact]
    public async Task ACacheThatDoesNotPurgeYet_KeepsItsPurgesWaitingAndVisible_AndTheyLandOnceItIsConfigured()
    {
        var client = await app.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Png(3, 3), "nopurge.png");
        app.Cache.Status = StatusCodes.Status405MethodNotAllowed;
        try
        {
            using (var deleted = await client.DeleteAsync($"/api/media/{media.Id}", Ct)) await deleted.ShouldBe(HttpStatusCode.NoContent);
            // The worker keeps trying while the cache refuses: the entry waits, it does not die.
            var deadline = DateTime.UtcNow.AddSeconds(20);
            PendingDeletion waiting;
            do
            {
                waiting = (await app.PurgesQueuedAsync(media.Id)).Single(p => p.Reason == "deleted");
                if (waiting.Attempts >= 2) break;
                await Task.Delay(100, Ct);
            } while (DateTime.UtcNow < deadline);
            Assert.True(waiting.Attempts >= 2, $"{waiting.Attempts} attempts");
            Assert.Equal(PendingDeletionStatus.Pending, waiting.Status);
            Assert.Contains("405", waiting.LastError);

            var admin = await app.ClientAsync(Auth.Roles.Admin);
            var backlog = await admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/admin/deletions?status=pending", Ct);
            Assert.Contains(backlog.GetProperty("entries").EnumerateArray(), e => e.GetProperty("id").GetInt64() == waiting.Id);
        }
        finally
        {
            app.Cache.Status = StatusCodes.Status200OK;
        }
        await app.WaitUntilNoPurgesQueuedAsync(media.Id);
        Assert.Empty(await app.PurgesQueuedAsync(media.Id));
    }
}

public sealed class SqliteCachePurgeTests(CachePurgeTests.App app) : CachePurgeTests(app), IClassFixture<CachePurgeTests.App>;

public sealed class PostgresCachePurgeTests(CachePurgeTests.PostgresApp app) : CachePurgeTests(app), IClassFixture<CachePurgeTests.PostgresApp>;

/// <summary>Files are private while reads need a token, so there is no shared copy to purge.</summary>
public sealed class CachePurgeWithPrivateReadsTests(CachePurgeWithPrivateReadsTests.App app) : IClassFixture<CachePurgeWithPrivateReadsTests.App>
{
    public sealed class App : CachePurgeTests.App
    {
        public App() => Set("MEDIALIB_REQUIRE_AUTH_FOR_READS", "true");
    }

    [Fact]
    public async Task Delete_SendsNoPurge()
    {
        var client = await app.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Png(3, 3), "private.png");
        using (var deleted = await client.DeleteAsync($"/api/media/{media.Id}", TestContext.Current.CancellationToken))
            await deleted.ShouldBe(HttpStatusCode.NoContent);
        Assert.Empty(await app.PurgesQueuedAsync(media.Id));
        Assert.Empty(app.Cache.PurgesOf(media.Id));
    }
}
