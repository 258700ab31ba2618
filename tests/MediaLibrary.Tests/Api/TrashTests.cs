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
/// The trash, on SQLite and PostgreSQL: a delete hides media everywhere at once and keeps its objects; a restore brings
/// back the same id, version and URL; the worker purges after MEDIALIB_TRASH_DAYS through the one deletion path;
/// permanent deletes, emptying (admins only), references, folders, bulk, the reconciler, and a purge racing a restore.
/// </summary>
public abstract class TrashTests(TrashTests.App app)
{
    public class App : MediaLibraryApp
    {
        public App() => Set("MEDIALIB_TRASH_DAYS", "30");

        public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

        protected override void ConfigureTestServices(IServiceCollection services)
        {
            services.AddSingleton<TimeProvider>(Time);
            // The purge runs when a test says so, not on the worker's timer.
            foreach (var worker in services.Where(d => d.ImplementationType == typeof(CleanupWorker)).ToList()) services.Remove(worker);
        }

        public async Task<(int Read, int Purged)> PurgeDueAsync()
        {
            await using var scope = Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<MediaTrash>().PurgeDueAsync(1000, CancellationToken.None);
        }

        public async Task<ReconcileReport> ReconcileAsync()
        {
            await using var scope = Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<Reconciler>()
                .RunAsync(new ReconcileRequest(false, TimeSpan.Zero, 500), CancellationToken.None);
        }
    }

    public sealed class PostgresApp : App
    {
        public override bool UsePostgres => true;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("n")[..10];

    private async Task<MediaResponse> UploadAsync(HttpClient client, string title, long? folderId = null, string? tags = null)
    {
        var form = TestFiles.Form(TestFiles.Png(4, 3, (byte)Random.Shared.Next(256)), "t.png", title);
        if (folderId is not null) form.Add(new StringContent(folderId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)), "folder_id");
        if (tags is not null) form.Add(new StringContent(tags), "tags");
        using var response = await client.PostAsync("/api/media", form, Ct);
        await response.ShouldBe(HttpStatusCode.Created);
        return await response.ReadAsync<MediaResponse>();
    }

    private static async Task<T> GetJsonAsync<T>(HttpClient client, string url) => (await client.GetFromJsonAsync<T>(url, HttpExtensions.Json, Ct))!;

    private static async Task<TrashListResponse> TrashAsync(HttpClient client) => await GetJsonAsync<TrashListResponse>(client, "/api/trash?page_size=200");

    private static async Task DeleteAsync(HttpClient client, long id, string query = "")
    {
        using var response = await client.DeleteAsync($"/api/media/{id}{query}", Ct);
        await response.ShouldBe(HttpStatusCode.NoContent);
    }

    private static async Task<MediaResponse> RestoreAsync(HttpClient client, long id)
    {
        using var response = await client.PostAsync($"/api/media/{id}/restore", null, Ct);
        await response.ShouldBe(HttpStatusCode.OK);
        Assert.NotNull(response.Headers.ETag);
        return await response.ReadAsync<MediaResponse>();
    }

    private async Task<long> FolderAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("/api/folders", new { name = Unique("f") }, HttpExtensions.Json, Ct);
        await response.ShouldBe(HttpStatusCode.Created);
        return (await response.ReadAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    private Task<bool> RowExistsAsync(long id) => app.WithDbAsync(db => db.Media.AnyAsync(m => m.Id == id));

    [Fact]
    public async Task ATrashedImage_HasAPreviewForEditorsOnly_NeverCached_WhileItsFileUrlAnswers404()
    {
        var client = await app.ClientAsync();
        var media = await UploadAsync(client, Unique("preview"));
        using (var live = await client.GetAsync($"/api/trash/{media.Id}/preview", Ct)) await live.ProblemAsync(HttpStatusCode.NotFound);

        await DeleteAsync(client, media.Id);
        using (var file = await client.GetAsync(HttpExtensions.PathOf(media.Url), Ct)) await file.ProblemAsync(HttpStatusCode.NotFound);
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/trash/{media.Id}/preview"))
        {
            request.Headers.Accept.ParseAdd("image/webp");
            using var preview = await client.SendAsync(request, Ct);
            await preview.ShouldBe(HttpStatusCode.OK);
            Assert.Equal("image/webp", preview.Content.Headers.ContentType?.MediaType);
            Assert.True(preview.Headers.CacheControl is { Private: true, NoStore: true });
            Assert.Equal("nosniff", preview.Headers.GetValues("X-Content-Type-Options").Single());
            var bytes = await preview.Content.ReadAsByteArrayAsync(Ct);
            Assert.Equal("WEBP", System.Text.Encoding.ASCII.GetString(bytes, 8, 4));
        }
        // Its rendering lost behind the service's back: rendered again, as delivery does.
        var rendered = await app.WithDbAsync(db => db.Derivatives.SingleAsync(d => d.MediaId == media.Id, Ct));
        await app.Storage.DeleteAsync(rendered.StorageKey, Ct);
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/trash/{media.Id}/preview") { Headers = { { "Accept", "image/webp" } } })
        using (var again = await client.SendAsync(request, Ct)) await again.ShouldBe(HttpStatusCode.OK);
        Assert.NotEqual(rendered.StorageKey, (await app.WithDbAsync(db => db.Derivatives.SingleAsync(d => d.MediaId == media.Id, Ct))).StorageKey);
        var viewer = await app.ClientAsync(Roles.Viewer);
        using (var look = await viewer.GetAsync($"/api/trash/{media.Id}/preview", Ct)) Assert.Equal(HttpStatusCode.Forbidden, look.StatusCode);

        // Restored, it is in the library again and has no preview; purged, it has none either.
        using (var restore = await client.PostAsync($"/api/media/{media.Id}/restore", null, Ct)) await restore.ShouldBe(HttpStatusCode.OK);
        using (var back = await client.GetAsync($"/api/trash/{media.Id}/preview", Ct)) await back.ProblemAsync(HttpStatusCode.NotFound);
        await DeleteAsync(client, media.Id, "?permanent=true");
        using (var gone = await client.GetAsync($"/api/trash/{media.Id}/preview", Ct)) await gone.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_MovesToTheTrash_HiddenEverywhere_ObjectKept_AndRestoreBringsBackTheSameUrl()
    {
        var client = await app.ClientAsync();
        var (word, tag) = (Unique("harbour"), Unique("tag"));
        var folder = await FolderAsync(client);
        var media = await UploadAsync(client, word + " one", folder, tag);
        var kept = await UploadAsync(client, word + " two", folder, tag);
        var key = await app.StorageKeyAsync(media.Id);
        var bytes = await client.GetByteArrayAsync(HttpExtensions.PathOf(media.Url), Ct);
        var total = (await GetJsonAsync<MediaListResponse>(client, "/api/media?page_size=1")).Count;

        await DeleteAsync(client, media.Id);

        using (var get = await client.GetAsync($"/api/media/{media.Id}", Ct))
            Assert.True((await get.ProblemAsync(HttpStatusCode.NotFound)).GetProperty("trashed").GetBoolean());
        using (var file = await client.GetAsync(HttpExtensions.PathOf(media.Url), Ct)) await file.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(total - 1, (await GetJsonAsync<MediaListResponse>(client, "/api/media?page_size=1")).Count);
        Assert.Equal([kept.Id], await client.ListIdsAsync($"search={word}"));
        Assert.Equal([kept.Id], await client.ListIdsAsync($"tag={tag}"));
        Assert.Equal(1, (await GetJsonAsync<MediaListResponse>(client, $"/api/media?tag={tag}")).Count);
        Assert.Equal([kept.Id], await client.ListIdsAsync($"folder={folder}"));
        Assert.Equal([kept.Id], await client.ListIdsAsync($"search={word}&content_type=image/png"));
        var tags = await GetJsonAsync<TagListResponse>(client, $"/api/tags?prefix={tag}");
        Assert.Equal(1, Assert.Single(tags.Results).Count);
        Assert.Contains(key, app.StoredKeys());

        var trash = await TrashAsync(client);
        var trashed = Assert.Single(trash.Results, m => m.Id == media.Id);
        Assert.NotNull(trashed.TrashedAt);
        Assert.Equal(TimeSpan.FromDays(30), trashed.PurgeAt - trashed.TrashedAt);
        Assert.Equal(media.Url, trashed.Url);

        // What only the library's media take: an edit, a new file, a new use, another (non-permanent) delete.
        using (var patch = await client.PatchAsJsonAsync($"/api/media/{media.Id}", new { title = "x" }, HttpExtensions.Json, Ct))
            await patch.ProblemAsync(HttpStatusCode.NotFound);
        using (var use = await client.PutAsJsonAsync($"/api/media/{media.Id}/references", new { key = "page:/x" }, HttpExtensions.Json, Ct))
            await use.ProblemAsync(HttpStatusCode.NotFound);
        using (var again = await client.DeleteAsync($"/api/media/{media.Id}", Ct)) await again.ProblemAsync(HttpStatusCode.NotFound);
        using (var bulk = await client.PostAsJsonAsync("/api/media/bulk", new { action = "tag", ids = new[] { media.Id }, tags = new[] { "x" } }, HttpExtensions.Json, Ct))
            Assert.Equal(404, (await bulk.ReadAsync<BulkResponse>()).Results.Single().Status);

        var restored = await RestoreAsync(client, media.Id);
        Assert.Equal((media.Id, media.Version, media.Url, folder), (restored.Id, restored.Version, restored.Url, restored.FolderId));
        Assert.Null(restored.TrashedAt);
        Assert.Equal([tag], restored.Tags);
        Assert.Equal(bytes, await client.GetByteArrayAsync(HttpExtensions.PathOf(restored.Url), Ct));
        Assert.Equal(total, (await GetJsonAsync<MediaListResponse>(client, "/api/media?page_size=1")).Count);
        Assert.Equal(new[] { kept.Id, media.Id }.Order(), (await client.ListIdsAsync($"search={word}")).Order());
        Assert.Equal(2, (await GetJsonAsync<MediaListResponse>(client, $"/api/media?tag={tag}")).Count);
        Assert.Equal(2, Assert.Single((await GetJsonAsync<TagListResponse>(client, $"/api/tags?prefix={tag}")).Results).Count);
        Assert.DoesNotContain((await TrashAsync(client)).Results, m => m.Id == media.Id);
        using (var twice = await client.PostAsync($"/api/media/{media.Id}/restore", null, Ct)) await twice.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains(app.Logs.GetSnapshot(), r => r.Message.Contains($"Media {media.Id} moved to the trash") && r.Message.Contains(key));
        Assert.Contains(app.Logs.GetSnapshot(), r => r.Message.Contains($"Media {media.Id} restored from the trash"));
    }

    [Fact]
    public async Task TheWorker_PurgesAfterTheTrashDays_ThroughTheDeletionPath_AndARestoreThenFindsNothing()
    {
        var client = await app.ClientAsync();
        var media = await UploadAsync(client, Unique("old"));
        var key = await app.StorageKeyAsync(media.Id);
        await DeleteAsync(client, media.Id);

        app.Time.Advance(TimeSpan.FromDays(29));
        await app.PurgeDueAsync();
        Assert.True(await RowExistsAsync(media.Id));
        Assert.Contains(key, app.StoredKeys());

        app.Time.Advance(TimeSpan.FromDays(1.5));
        Assert.True((await app.PurgeDueAsync()).Purged >= 1);
        Assert.False(await RowExistsAsync(media.Id));
        Assert.DoesNotContain(key, app.StoredKeys());
        Assert.Contains(app.Logs.GetSnapshot(), r => r.Message.Contains($"Media {media.Id} purged from the trash") && r.Message.Contains(key));

        client = await app.ClientAsync(); // a token from the clock as it is now
        using var restore = await client.PostAsync($"/api/media/{media.Id}/restore", null, Ct);
        Assert.Contains("purged", (await restore.ProblemAsync(HttpStatusCode.NotFound)).GetProperty("detail").GetString());
        using var never = await client.PostAsync($"/api/media/{long.MaxValue}/restore", null, Ct);
        await never.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PermanentDelete_DeletesAtOnce_FromTheLibraryAndFromTheTrash()
    {
        var client = await app.ClientAsync();
        var live = await UploadAsync(client, Unique("p"));
        var trashed = await UploadAsync(client, Unique("p"));
        var (liveKey, trashedKey) = (await app.StorageKeyAsync(live.Id), await app.StorageKeyAsync(trashed.Id));
        await DeleteAsync(client, trashed.Id);

        await DeleteAsync(client, live.Id, "?permanent=true");
        await DeleteAsync(client, trashed.Id, "?permanent=true");

        Assert.False(await RowExistsAsync(live.Id));
        Assert.False(await RowExistsAsync(trashed.Id));
        Assert.DoesNotContain(liveKey, app.StoredKeys());
        Assert.DoesNotContain(trashedKey, app.StoredKeys());
        Assert.DoesNotContain((await TrashAsync(client)).Results, m => m.Id == trashed.Id);
        using var gone = await client.DeleteAsync($"/api/media/{live.Id}?permanent=true", Ct);
        await gone.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task EmptyingTheTrash_IsForAdmins_AndPurgesEverythingInIt()
    {
        var editor = await app.ClientAsync();
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var media = await UploadAsync(editor, Unique("e"));
            await DeleteAsync(editor, media.Id);
            ids.Add(media.Id);
        }
        var keys = await app.WithDbAsync(db => db.Media.Where(m => ids.Contains(m.Id)).Select(m => m.StorageKey).ToListAsync());

        using (var byEditor = await editor.DeleteAsync("/api/trash", Ct)) Assert.Equal(HttpStatusCode.Forbidden, byEditor.StatusCode);
        var viewer = await app.ClientAsync(Roles.Viewer);
        using (var look = await viewer.GetAsync("/api/trash", Ct)) Assert.Equal(HttpStatusCode.Forbidden, look.StatusCode);
        using (var restore = await viewer.PostAsync($"/api/media/{ids[0]}/restore", null, Ct)) Assert.Equal(HttpStatusCode.Forbidden, restore.StatusCode);
        using (var anonymous = await app.CreateClient().GetAsync("/api/trash", Ct)) Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.All(keys, k => Assert.Contains(k, app.StoredKeys()));

        var admin = await app.ClientAsync(Roles.Admin);
        using var emptied = await admin.DeleteAsync("/api/trash", Ct);
        await emptied.ShouldBe(HttpStatusCode.OK);
        var result = await emptied.ReadAsync<EmptyTrashResponse>();
        Assert.True(result.Purged >= 3);
        Assert.Equal(0, result.Remaining);
        Assert.Equal(0, (await TrashAsync(editor)).Count);
        foreach (var id in ids) Assert.False(await RowExistsAsync(id));
        Assert.All(keys, k => Assert.DoesNotContain(k, app.StoredKeys()));
    }

    [Fact]
    public async Task MediaInUse_NeedsForce_KeepsItsReferencesInTheTrash_AndGetsThemBackWithARestore()
    {
        var client = await app.ClientAsync();
        var media = await UploadAsync(client, Unique("used"));
        var page = Unique("page:/");
        using (var put = await client.PutAsJsonAsync($"/api/media/{media.Id}/references", new { key = page }, HttpExtensions.Json, Ct))
            await put.ShouldBe(HttpStatusCode.Created);

        using (var refused = await client.DeleteAsync($"/api/media/{media.Id}", Ct)) await refused.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Null((await GetJsonAsync<MediaResponse>(client, $"/api/media/{media.Id}")).TrashedAt);
        await DeleteAsync(client, media.Id, "?force=true");

        Assert.Equal(1, (await GetJsonAsync<ReferenceListResponse>(client, $"/api/media/{media.Id}/references")).Count);
        using (var sync = await client.PutAsJsonAsync("/api/references", new { key = Unique("page:/"), media_ids = new[] { media.Id } }, HttpExtensions.Json, Ct))
            Assert.Contains("in the library", (await sync.ProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("detail").GetString());
        // The place stops using it while it is in the trash.
        using (var removed = await client.DeleteAsync($"/api/media/{media.Id}/references?key={Uri.EscapeDataString(page)}", Ct))
            await removed.ShouldBe(HttpStatusCode.NoContent);
        using (var again = await client.PutAsJsonAsync($"/api/media/{media.Id}/references", new { key = page }, HttpExtensions.Json, Ct))
            await again.ProblemAsync(HttpStatusCode.NotFound);

        var restored = await RestoreAsync(client, media.Id);
        Assert.Equal(0, restored.ReferenceCount);
        Assert.Contains(media.Id, await client.ListIdsAsync("used=false"));
    }

    [Fact]
    public async Task AFolderDeletedWithItsContents_SendsThemToTheTrash_AndARestorePutsThemAtTheTop()
    {
        var client = await app.ClientAsync();
        var folder = await FolderAsync(client);
        var inside = await UploadAsync(client, Unique("in"), folder);
        var earlier = await UploadAsync(client, Unique("in"), folder);
        await DeleteAsync(client, earlier.Id); // already in the trash: it does not keep the folder either
        var key = await app.StorageKeyAsync(inside.Id);

        using (var notEmpty = await client.DeleteAsync($"/api/folders/{folder}", Ct)) await notEmpty.ProblemAsync(HttpStatusCode.Conflict);
        using (var deleted = await client.DeleteAsync($"/api/folders/{folder}?contents=true", Ct)) await deleted.ShouldBe(HttpStatusCode.NoContent);

        using (var gone = await client.GetAsync($"/api/folders/{folder}", Ct)) await gone.ProblemAsync(HttpStatusCode.NotFound);
        var trash = await TrashAsync(client);
        Assert.Contains(trash.Results, m => m.Id == inside.Id);
        Assert.All(trash.Results.Where(m => m.Id == inside.Id || m.Id == earlier.Id), m => Assert.Null(m.FolderId));
        Assert.Contains(key, app.StoredKeys());
        Assert.Null((await RestoreAsync(client, inside.Id)).FolderId);
        Assert.Null((await RestoreAsync(client, earlier.Id)).FolderId);
        Assert.Contains(inside.Id, await client.ListIdsAsync("folder=root"));
    }

    [Fact]
    public async Task BulkDelete_MovesToTheTrash_AndWithPermanentDeletesFromIt()
    {
        var client = await app.ClientAsync();
        var a = await UploadAsync(client, Unique("b"));
        var b = await UploadAsync(client, Unique("b"));
        var keyA = await app.StorageKeyAsync(a.Id);

        using (var bulk = await client.PostAsJsonAsync("/api/media/bulk", new { action = "delete", ids = new[] { a.Id, b.Id } }, HttpExtensions.Json, Ct))
        {
            var result = await bulk.ReadAsync<BulkResponse>();
            Assert.All(result.Results, r => Assert.Equal((204, "moved to the trash"), (r.Status, r.Detail)));
        }
        Assert.Equal(2, (await TrashAsync(client)).Results.Count(m => m.Id == a.Id || m.Id == b.Id));
        using (var permanent = await client.PostAsJsonAsync("/api/media/bulk", new { action = "delete", ids = new[] { a.Id }, permanent = true }, HttpExtensions.Json, Ct))
            Assert.Equal((204, "deleted"), (await permanent.ReadAsync<BulkResponse>()).Results.Select(r => (r.Status, r.Detail)).Single());
        Assert.False(await RowExistsAsync(a.Id));
        Assert.DoesNotContain(keyA, app.StoredKeys());
        using (var misplaced = await client.PostAsJsonAsync("/api/media/bulk", new { action = "tag", ids = new[] { b.Id }, tags = new[] { "x" }, permanent = true },
            HttpExtensions.Json, Ct))
            await misplaced.ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task TheTrashList_PagesNewestFirstWithACursor_AndRefusesAForgedOne()
    {
        var client = await app.ClientAsync();
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var media = await UploadAsync(client, Unique("l"));
            await DeleteAsync(client, media.Id);
            app.Time.Advance(TimeSpan.FromSeconds(1));
            ids.Add(media.Id);
        }
        var seen = new List<long>();
        var first = await GetJsonAsync<TrashListResponse>(client, "/api/trash?page_size=2");
        Assert.Equal(2, first.Results.Count);
        for (var page = first; ; page = await GetJsonAsync<TrashListResponse>(client, HttpExtensions.PathOf(page.Next)))
        {
            seen.AddRange(page.Results.Select(m => m.Id));
            Assert.Equal(first.Count, page.Count);
            if (page.Next is null) break;
        }
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(first.Count, seen.Count);
        Assert.Equal(ids.AsEnumerable().Reverse(), seen.Where(ids.Contains)); // most recently deleted first
        using (var forged = await client.GetAsync("/api/trash?cursor=abc", Ct)) await forged.ProblemAsync(HttpStatusCode.BadRequest);
        using (var huge = await client.GetAsync("/api/trash?page_size=1000", Ct)) await huge.ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task TheReconciler_CountsTrashedMediaAsReferenced()
    {
        var client = await app.ClientAsync();
        var media = await UploadAsync(client, Unique("r"));
        var key = await app.StorageKeyAsync(media.Id);
        await DeleteAsync(client, media.Id);
        app.Time.Advance(TimeSpan.FromHours(2));
        var report = await app.ReconcileAsync();
        Assert.DoesNotContain(report.Orphans, o => o.Key == key);
    }

    [Fact]
    public async Task AnUploadRetriedAfterItsMediaWentToTheTrash_IsGone()
    {
        var client = await app.ClientAsync();
        var file = TestFiles.Png(5, 5, 77);
        var idempotencyKey = Guid.NewGuid().ToString();
        HttpRequestMessage Upload() => new(HttpMethod.Post, "/api/media")
        {
            Content = TestFiles.Form(file, "i.png", "idem"),
            Headers = { { "Idempotency-Key", idempotencyKey } },
        };
        using (var first = await client.SendAsync(Upload(), Ct))
        {
            await first.ShouldBe(HttpStatusCode.Created);
            await DeleteAsync(client, (await first.ReadAsync<MediaResponse>()).Id);
        }
        using var retry = await client.SendAsync(Upload(), Ct);
        Assert.Contains("restore", (await retry.ProblemAsync(HttpStatusCode.Gone)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task APurgeRacingARestore_EndsWithOneOfThem_NeverHalfOfEach()
    {
        var client = await app.ClientAsync();
        var media = new List<(long Id, string Key)>();
        for (var i = 0; i < 6; i++)
        {
            var m = await UploadAsync(client, Unique("race"));
            media.Add((m.Id, await app.StorageKeyAsync(m.Id)));
            await DeleteAsync(client, m.Id);
        }
        app.Time.Advance(TimeSpan.FromDays(31));
        client = await app.ClientAsync();

        var restores = media.Select(async m =>
        {
            using var response = await client.PostAsync($"/api/media/{m.Id}/restore", null, Ct);
            return (m.Id, response.StatusCode);
        }).ToList();
        var purge = app.PurgeDueAsync();
        var outcomes = await Task.WhenAll(restores);
        await purge;

        foreach (var (id, key) in media)
        {
            var status = outcomes.Single(r => r.Id == id).StatusCode;
            var row = await app.WithDbAsync(db => db.Media.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id));
            if (status == HttpStatusCode.OK)
            {
                Assert.NotNull(row);
                Assert.Null(row.TrashedAt);
                Assert.Contains(key, app.StoredKeys());
            }
            else
            {
                Assert.True(status == HttpStatusCode.NotFound, $"restore of {id}: {status}");
                Assert.Null(row);
                Assert.DoesNotContain(key, app.StoredKeys());
            }
        }
    }
}

public sealed class SqliteTrashTests(TrashTests.App app) : TrashTests(app), IClassFixture<TrashTests.App>;

public sealed class PostgresTrashTests(TrashTests.PostgresApp app) : TrashTests(app), IClassFixture<TrashTests.PostgresApp>;
