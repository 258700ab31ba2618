using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MediaLibrary.Api;
using MediaLibrary.Auth;
using MediaLibrary.Cleanup;
using MediaLibrary.Delivery;
using MediaLibrary.Media;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MediaLibrary.Tests.Api;

/// <summary>
/// The history of changes, on SQLite and PostgreSQL: every change of a media leaves one entry, written with it (a
/// refused change leaves none), with its actor, request id, address and what changed; it outlives the media; the
/// audit list filters and pages; retention forgets old entries; only editors read a media's history, only admins the audit.
/// </summary>
public abstract class HistoryTests(HistoryTests.App app)
{
    public class App : MediaLibraryApp
    {
        public App() => Set("MEDIALIB_TRASH_DAYS", "30");

        public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

        protected override void ConfigureTestServices(IServiceCollection services)
        {
            services.AddSingleton<TimeProvider>(Time);
            foreach (var worker in services.Where(d => d.ImplementationType == typeof(CleanupWorker)).ToList()) services.Remove(worker);
        }

        public async Task PurgeDueAsync()
        {
            await using var scope = Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<MediaTrash>().PurgeDueAsync(1000, CancellationToken.None);
        }

        public async Task RetentionAsync()
        {
            await using var scope = Services.CreateAsyncScope();
            await scope.ServiceProvider.GetServices<ICleanupPass>().OfType<HistoryRetention>().Single().RunAsync(CancellationToken.None);
        }
    }

    public sealed class PostgresApp : App
    {
        public override bool UsePostgres => true;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("n")[..10];

    private static async Task<HistoryListResponse> HistoryAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url, Ct);
        await response.ShouldBe(HttpStatusCode.OK);
        return await response.ReadAsync<HistoryListResponse>();
    }

    private static async Task<List<HistoryEntryResponse>> AllAsync(HttpClient client, string url)
    {
        var all = new List<HistoryEntryResponse>();
        for (var next = url; next is not null;)
        {
            var page = await HistoryAsync(client, next);
            all.AddRange(page.Results);
            next = page.Next is null ? null : HttpExtensions.PathOf(page.Next);
        }
        return all;
    }

    private static async Task<HttpResponseMessage> Ok(Task<HttpResponseMessage> request, HttpStatusCode status = HttpStatusCode.OK)
    {
        var response = await request;
        await response.ShouldBe(status);
        return response;
    }

    [Fact]
    public async Task EveryChange_LeavesOneEntry_WithItsActorRequestAndWhatChanged_AndTheHistoryOutlivesTheMedia()
    {
        var client = await app.ClientAsync();
        var (title, tag) = (Unique("h"), Unique("t"));
        var media = await client.UploadAsync(TestFiles.Png(5, 4, 10), "first.png", title);
        (await Ok(client.PatchAsJsonAsync($"/api/media/{media.Id}", new { title = title + " 2", alt_text = "alt", tags = new[] { tag } },
            HttpExtensions.Json, Ct))).Dispose();
        // A refused change leaves nothing.
        var stale = new HttpRequestMessage(HttpMethod.Patch, $"/api/media/{media.Id}") { Content = JsonContent.Create(new { title = "no" }) };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"0-0\"");
        using (var refused = await client.SendAsync(stale, Ct)) await refused.ProblemAsync(HttpStatusCode.PreconditionFailed);
        (await Ok(client.PutAsync($"/api/media/{media.Id}/file", TestFiles.Form(TestFiles.Png(6, 4, 20), "second.png"), Ct))).Dispose();
        (await Ok(client.PutAsJsonAsync($"/api/media/{media.Id}/references", new { key = "page:/h" }, HttpExtensions.Json, Ct), HttpStatusCode.Created)).Dispose();
        (await Ok(client.DeleteAsync($"/api/media/{media.Id}/references?key=page:/h", Ct), HttpStatusCode.NoContent)).Dispose();
        (await Ok(client.DeleteAsync($"/api/media/{media.Id}", Ct), HttpStatusCode.NoContent)).Dispose();
        (await Ok(client.PostAsync($"/api/media/{media.Id}/restore", null, Ct))).Dispose();
        (await Ok(client.DeleteAsync($"/api/media/{media.Id}?permanent=true", Ct), HttpStatusCode.NoContent)).Dispose();

        var history = await AllAsync(client, $"/api/media/{media.Id}/history?page_size=3");
        Assert.Equal(["deleted", "restored", "trashed", "unreferenced", "referenced", "replaced", "edited", "created"], history.Select(h => h.Action));
        Assert.All(history, h => Assert.Equal(("editor-user", media.Id), (h.Actor, h.MediaId)));
        Assert.All(history, h => Assert.False(string.IsNullOrEmpty(h.RequestId)));
        Assert.Equal(history.Count, history.Select(h => h.RequestId).Distinct().Count()); // one request each
        var edited = history.Single(h => h.Action == "edited").Details!.Value;
        Assert.Equal(title, edited.GetProperty("title").GetProperty("before").GetString());
        Assert.Equal(title + " 2", edited.GetProperty("title").GetProperty("after").GetString());
        Assert.Equal(tag, edited.GetProperty("tags").GetProperty("after")[0].GetString());
        var replaced = history.Single(h => h.Action == "replaced").Details!.Value;
        Assert.Equal((1, 2), (replaced.GetProperty("version").GetProperty("before").GetInt32(), replaced.GetProperty("version").GetProperty("after").GetInt32()));
        Assert.Equal("first.png", replaced.GetProperty("file_name").GetProperty("before").GetString());
        Assert.Equal("page:/h", history.Single(h => h.Action == "referenced").Details!.Value.GetProperty("key").GetString());
        Assert.True(history.Single(h => h.Action == "deleted").Details!.Value.GetProperty("from_trash").GetBoolean() is false);

        // Written in the change's own transaction: the rows are there whatever the answer said.
        Assert.Equal(8, await app.WithDbAsync(db => db.History.CountAsync(h => h.MediaId == media.Id)));
        using (var none = await client.GetAsync($"/api/media/{long.MaxValue}/history", Ct)) await none.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task BulkEdits_ThePurge_AndASync_EachLeaveAnEntryPerMedia_ThePurgeAsTheSystem()
    {
        var client = await app.ClientAsync();
        var a = await client.UploadAsync(TestFiles.Png(3, 3, 30), "a.png", Unique("a"));
        var b = await client.UploadAsync(TestFiles.Png(3, 3, 40), "b.png", Unique("b"));
        using (var bulk = await Ok(client.PostAsJsonAsync("/api/media/bulk", new { action = "tag", ids = new[] { a.Id, b.Id }, tags = new[] { "bulked" } },
            HttpExtensions.Json, Ct)))
            Assert.All((await bulk.ReadAsync<BulkResponse>()).Results, r => Assert.Equal(200, r.Status));
        var page = Unique("page:/");
        (await Ok(client.PutAsJsonAsync("/api/references", new { key = page, media_ids = new[] { a.Id, b.Id } }, HttpExtensions.Json, Ct))).Dispose();
        (await Ok(client.DeleteAsync($"/api/media/{a.Id}?force=true", Ct), HttpStatusCode.NoContent)).Dispose();
        app.Time.Advance(TimeSpan.FromDays(31));
        await app.PurgeDueAsync();

        client = await app.ClientAsync();
        var history = await AllAsync(client, $"/api/media/{a.Id}/history");
        Assert.Equal(["purged", "trashed", "referenced", "edited", "created"], history.Select(h => h.Action));
        Assert.Equal(ChangeActor.System, history[0].Actor);
        Assert.Null(history[0].ActorId);
        Assert.Equal("bulked", history.Single(h => h.Action == "edited").Details!.Value.GetProperty("tags_added")[0].GetString());
        Assert.Equal(["referenced", "edited", "created"], (await AllAsync(client, $"/api/media/{b.Id}/history")).Select(h => h.Action));
    }

    [Fact]
    public async Task TheAuditList_FiltersByActorActionMediaAndTime_PagesWithACursor_AndIsForAdmins()
    {
        var editor = await app.ClientAsync();
        var admin = await app.ClientAsync(Roles.Admin);
        app.Time.Advance(TimeSpan.FromMinutes(1)); // past the entries of the tests before
        var start = app.Time.GetUtcNow().UtcDateTime;
        start = start.AddTicks(-(start.Ticks % TimeSpan.TicksPerSecond)); // stored times keep microseconds at most
        var mine = await editor.UploadAsync(TestFiles.Png(3, 2, 50), "e.png", Unique("e"));
        app.Time.Advance(TimeSpan.FromMinutes(5));
        var theirs = await admin.UploadAsync(TestFiles.Png(3, 2, 60), "x.png", Unique("x"));
        (await Ok(admin.PatchAsJsonAsync($"/api/media/{mine.Id}", new { alt_text = "by the admin" }, HttpExtensions.Json, Ct))).Dispose();
        app.Time.Advance(TimeSpan.FromMinutes(5));

        var byAdmin = await AllAsync(admin, $"/api/history?actor=admin-user&since={Uri.EscapeDataString(start.ToString("o"))}&page_size=1");
        Assert.Equal([("edited", mine.Id), ("created", theirs.Id)], byAdmin.Select(h => (h.Action, h.MediaId)));
        var created = await AllAsync(admin, $"/api/history?action=created&since={Uri.EscapeDataString(start.ToString("o"))}");
        Assert.Equal([theirs.Id, mine.Id], created.Select(h => h.MediaId));
        var window = await AllAsync(admin,
            $"/api/history?since={Uri.EscapeDataString(start.ToString("o"))}&until={Uri.EscapeDataString(start.AddMinutes(1).ToString("o"))}");
        Assert.Equal([mine.Id], window.Select(h => h.MediaId));
        Assert.Equal(["edited", "created"], (await AllAsync(admin, $"/api/history?media_id={mine.Id}")).Select(h => h.Action));

        using (var byEditor = await editor.GetAsync("/api/history", Ct)) Assert.Equal(HttpStatusCode.Forbidden, byEditor.StatusCode);
        var viewer = await app.ClientAsync(Roles.Viewer);
        using (var byViewer = await viewer.GetAsync($"/api/media/{mine.Id}/history", Ct)) Assert.Equal(HttpStatusCode.Forbidden, byViewer.StatusCode);
        using (var anonymous = await app.CreateClient().GetAsync($"/api/media/{mine.Id}/history", Ct))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        foreach (var bad in new[] { "action=exploded", "since=yesterday", "media_id=-1", "cursor=abc", "page_size=0",
                     $"since={Uri.EscapeDataString(start.ToString("o"))}&until={Uri.EscapeDataString(start.ToString("o"))}", "actor=" + new string('a', 101) })
            using (var response = await admin.GetAsync("/api/history?" + bad, Ct)) await response.ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Retention_ForgetsEntriesOlderThanTheHistoryDays()
    {
        var client = await app.ClientAsync();
        var old = await client.UploadAsync(TestFiles.Png(2, 2, 70), "old.png", Unique("old"));
        app.Time.Advance(TimeSpan.FromDays(300));
        client = await app.ClientAsync();
        (await Ok(client.PatchAsJsonAsync($"/api/media/{old.Id}", new { alt_text = "later" }, HttpExtensions.Json, Ct))).Dispose();
        app.Time.Advance(TimeSpan.FromDays(70)); // the upload is 370 days old, the edit 70
        await app.RetentionAsync();
        client = await app.ClientAsync();
        Assert.Equal(["edited"], (await AllAsync(client, $"/api/media/{old.Id}/history")).Select(h => h.Action));
    }
}

public sealed class SqliteHistoryTests(HistoryTests.App app) : HistoryTests(app), IClassFixture<HistoryTests.App>;

public sealed class PostgresHistoryTests(HistoryTests.PostgresApp app) : HistoryTests(app), IClassFixture<HistoryTests.PostgresApp>;
