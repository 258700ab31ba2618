using System.Net;
using System.Net.Http.Json;
using MediaLibrary.Api;
using MediaLibrary.Delivery;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Tests.Api;

/// <summary>
/// Where media are used, on SQLite and PostgreSQL: references one at a time and a place's whole set, the count on the
/// media, the used filter, deletions refused while in use (single, bulk, a folder with its contents), bad input.
/// </summary>
public abstract class ReferenceTests(MediaLibraryApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Unique(string prefix = "r") => prefix + Guid.NewGuid().ToString("n")[..10];

    private static async Task<MediaResponse> UploadAsync(HttpClient client, string title, long? folderId = null)
    {
        var form = TestFiles.Form(TestFiles.Png(3, 2), "r.png", title);
        if (folderId is not null) form.Add(new StringContent(folderId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)), "folder_id");
        using var response = await client.PostAsync("/api/media", form, Ct);
        await response.ShouldBe(HttpStatusCode.Created);
        return await response.ReadAsync<MediaResponse>();
    }

    private static async Task<MediaResponse> GetAsync(HttpClient client, long id) =>
        (await client.GetFromJsonAsync<MediaResponse>($"/api/media/{id}", HttpExtensions.Json, Ct))!;

    private static async Task<ReferenceListResponse> ReferencesAsync(HttpClient client, long id) =>
        (await client.GetFromJsonAsync<ReferenceListResponse>($"/api/media/{id}/references", HttpExtensions.Json, Ct))!;

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, long id, object body) =>
        client.PutAsJsonAsync($"/api/media/{id}/references", body, HttpExtensions.Json, Ct);

    private static Task<HttpResponseMessage> SyncAsync(HttpClient client, object body) =>
        client.PutAsJsonAsync("/api/references", body, HttpExtensions.Json, Ct);

    [Fact]
    public async Task References_AreAddedUpdatedListedAndRemoved_AndTheMediaCountsThem_WithoutANewETag()
    {
        var client = await app.ClientAsync();
        var media = await UploadAsync(client, "used");
        Assert.Equal(0, media.ReferenceCount);
        var etag = (await client.GetAsync($"/api/media/{media.Id}", Ct)).Headers.ETag!.Tag;

        using (var added = await PutAsync(client, media.Id, new { key = "  page:/about ", label = "About  us", url = "https://example.com/about" }))
        {
            await added.ShouldBe(HttpStatusCode.Created);
            var reference = await added.ReadAsync<ReferenceResponse>();
            Assert.Equal(("page:/about", "About us", "https://example.com/about"), (reference.Key, reference.Label, reference.Url));
        }
        using (var again = await PutAsync(client, media.Id, new { key = "page:/about", label = "About" }))
        {
            await again.ShouldBe(HttpStatusCode.OK);
            var updated = await again.ReadAsync<ReferenceResponse>();
            Assert.Equal(("About", null), (updated.Label, updated.Url));
        }
        using (var second = await PutAsync(client, media.Id, new { key = "product:42" })) await second.ShouldBe(HttpStatusCode.Created);

        var list = await ReferencesAsync(client, media.Id);
        Assert.Equal(2, list.Count);
        Assert.Equal([("page:/about", "About"), ("product:42", "product:42")], list.Results.Select(r => (r.Key, r.Label)));
        var now = await client.GetAsync($"/api/media/{media.Id}", Ct);
        Assert.Equal(2, (await now.ReadAsync<MediaResponse>()).ReferenceCount);
        Assert.Equal(etag, now.Headers.ETag!.Tag); // a website's use does not make an editor's copy stale

        using (var removed = await client.DeleteAsync($"/api/media/{media.Id}/references?key={Uri.EscapeDataString("page:/about")}", Ct))
            await removed.ShouldBe(HttpStatusCode.NoContent);
        using (var gone = await client.DeleteAsync($"/api/media/{media.Id}/references?key={Uri.EscapeDataString("page:/about")}", Ct))
            await gone.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(1, (await GetAsync(client, media.Id)).ReferenceCount);
        Assert.Equal(1, await app.WithDbAsync(db => db.Media.Where(m => m.Id == media.Id).Select(m => m.ReferenceCount).SingleAsync()));
    }

    [Fact]
    public async Task ASync_SetsAPlacesWholeSet_AllOrNothing()
    {
        var client = await app.ClientAsync();
        var (a, b, c) = (await UploadAsync(client, "a"), await UploadAsync(client, "b"), await UploadAsync(client, "c"));
        var key = Unique("page:/news/");

        using (var first = await SyncAsync(client, new { key, label = "News", media_ids = new[] { a.Id, b.Id, a.Id } }))
        {
            var result = await first.ReadAsync<ReferrerResponse>();
            Assert.Equal([a.Id, b.Id], result.MediaIds);
            Assert.Equal([a.Id, b.Id], result.Added!);
            Assert.Empty(result.Removed!);
        }
        using (var next = await SyncAsync(client, new { key, label = "News!", url = "https://example.com/news", media_ids = new[] { c.Id, b.Id } }))
        {
            var result = await next.ReadAsync<ReferrerResponse>();
            Assert.Equal([b.Id, c.Id], result.MediaIds);
            Assert.Equal([c.Id], result.Added!);
            Assert.Equal([a.Id], result.Removed!);
            Assert.Equal(1, result.Updated);
        }
        var counts = new List<int>();
        foreach (var m in new[] { a, b, c }) counts.Add((await GetAsync(client, m.Id)).ReferenceCount);
        Assert.Equal([0, 1, 1], counts);
        Assert.Equal("News!", (await ReferencesAsync(client, b.Id)).Results.Single().Label);
        var referrer = await client.GetFromJsonAsync<ReferrerResponse>($"/api/references?key={Uri.EscapeDataString(key)}", HttpExtensions.Json, Ct);
        Assert.Equal([b.Id, c.Id], referrer!.MediaIds);

        // One missing media refuses the whole sync: nothing changes.
        using (var missing = await SyncAsync(client, new { key, media_ids = new[] { a.Id, long.MaxValue } }))
        {
            var problem = await missing.ProblemAsync(HttpStatusCode.UnprocessableEntity);
            Assert.Equal([long.MaxValue], problem.GetProperty("missing_ids").EnumerateArray().Select(e => e.GetInt64()));
        }
        Assert.Equal([b.Id, c.Id], (await client.GetFromJsonAsync<ReferrerResponse>($"/api/references?key={Uri.EscapeDataString(key)}", HttpExtensions.Json, Ct))!.MediaIds);

        // An empty set: the place uses nothing any more.
        using (var empty = await SyncAsync(client, new { key, media_ids = Array.Empty<long>() }))
            Assert.Equal([b.Id, c.Id], (await empty.ReadAsync<ReferrerResponse>()).Removed!);
        Assert.Equal(0, (await GetAsync(client, c.Id)).ReferenceCount);
    }

    [Fact]
    public async Task TheUsedFilter_ListsMediaUsedNowhereOrSomewhere_WithSearchAndPagingByLinks()
    {
        var client = await app.ClientAsync();
        var word = Unique("w");
        var media = new List<MediaResponse>();
        for (var i = 0; i < 5; i++) media.Add(await UploadAsync(client, $"{word} {i}"));
        using (await SyncAsync(client, new { key = Unique("k"), media_ids = new[] { media[1].Id, media[3].Id } })) { }

        Assert.Equal([media[4].Id, media[2].Id, media[0].Id], await client.ListIdsAsync($"search={word}&used=false"));
        Assert.Equal([media[3].Id, media[1].Id], await client.ListIdsAsync($"search={word}&used=true"));
        var page = await client.GetFromJsonAsync<MediaListResponse>($"/api/media?search={word}&used=false&page_size=2", HttpExtensions.Json, Ct);
        Assert.Equal([media[4].Id, media[2].Id], page!.Results.Select(m => m.Id));
        var next = await client.GetFromJsonAsync<MediaListResponse>(HttpExtensions.PathOf(page.Next!), HttpExtensions.Json, Ct);
        Assert.Equal([media[0].Id], next!.Results.Select(m => m.Id));
        var unused = (await client.GetFromJsonAsync<MediaListResponse>("/api/media?used=false&page_size=200", HttpExtensions.Json, Ct))!.Results.Select(m => m.Id).ToList();
        Assert.Contains(media[0].Id, unused);
        Assert.DoesNotContain(media[1].Id, unused);

        // The bulk selection reads the same filter: the unused ones, deleted in one request.
        using var bulk = await client.PostAsJsonAsync("/api/media/bulk",
            new { action = "delete", filter = new { search = word, used = false }, limit = 100 }, HttpExtensions.Json, Ct);
        Assert.Equal(3, (await bulk.ReadAsync<BulkResponse>()).Succeeded);
        Assert.Equal([media[3].Id, media[1].Id], await client.ListIdsAsync($"search={word}"));
        using (var bad = await client.GetAsync("/api/media?used=maybe", Ct)) await bad.ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task DeletingMediaInUse_IsRefusedWithItsReferences_UnlessForced_AndChangesNothing()
    {
        var client = await app.ClientAsync();
        var media = await UploadAsync(client, "in use");
        using (await PutAsync(client, media.Id, new { key = "page:/home", label = "Home", url = "https://example.com/" })) { }
        var storageKey = await app.StorageKeyAsync(media.Id);
        var before = app.StoredKeys();

        using (var refused = await client.DeleteAsync($"/api/media/{media.Id}", Ct))
        {
            var problem = await refused.ProblemAsync(HttpStatusCode.Conflict);
            Assert.Equal(1, problem.GetProperty("reference_count").GetInt32());
            Assert.Equal("page:/home", problem.GetProperty("references")[0].GetProperty("key").GetString());
        }
        Assert.Equal(before, app.StoredKeys());
        Assert.Equal(1, (await GetAsync(client, media.Id)).ReferenceCount);
        Assert.Contains(app.Logs.GetSnapshot(), r => r.Message == $"Media {media.Id} not deleted: used in 1 places");

        // A viewer cannot force anything.
        var viewer = await app.ClientAsync(MediaLibrary.Auth.Roles.Viewer);
        using (var forbidden = await viewer.DeleteAsync($"/api/media/{media.Id}?force=true", Ct)) Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        // Bulk: 409 for that media, the others deleted; then forced.
        var other = await UploadAsync(client, "not in use");
        using (var bulk = await client.PostAsJsonAsync("/api/media/bulk", new { action = "delete", ids = new[] { media.Id, other.Id } }, HttpExtensions.Json, Ct))
            Assert.Equal([409, 204], (await bulk.ReadAsync<BulkResponse>()).Results.Select(r => r.Status));
        using (var forceOnMove = await client.PostAsJsonAsync("/api/media/bulk", new { action = "move", ids = new[] { media.Id }, folder_id = (long?)null, force = true }, HttpExtensions.Json, Ct))
            await forceOnMove.ProblemAsync(HttpStatusCode.BadRequest);

        using (var forced = await client.DeleteAsync($"/api/media/{media.Id}?force=true", Ct)) await forced.ShouldBe(HttpStatusCode.NoContent);
        Assert.Equal(0, await app.WithDbAsync(db => db.MediaReferences.CountAsync(r => r.MediaId == media.Id)));
        Assert.Contains(app.Logs.GetSnapshot(), r => r.Message.StartsWith($"Media {media.Id} deleted with force although used in 1 places", StringComparison.Ordinal));
        Assert.DoesNotContain(storageKey, app.StoredKeys());
        using (var references = await client.GetAsync($"/api/media/{media.Id}/references", Ct)) await references.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AFolderWithMediaInUse_IsDeletedWithItsContentsOnlyWhenForced()
    {
        var client = await app.ClientAsync();
        using var folder = await client.PostAsJsonAsync("/api/folders", new { name = Unique("f") }, HttpExtensions.Json, Ct);
        var folderId = (await folder.ReadAsync<FolderResponse>()).Id;
        var used = await UploadAsync(client, "used", folderId);
        var free = await UploadAsync(client, "free", folderId);
        using (await PutAsync(client, used.Id, new { key = "page:/x" })) { }

        using (var refused = await client.DeleteAsync($"/api/folders/{folderId}?contents=true", Ct))
            Assert.Equal([used.Id], (await refused.ProblemAsync(HttpStatusCode.Conflict)).GetProperty("media_ids").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/media/{free.Id}", Ct)).StatusCode);
        using (var forced = await client.DeleteAsync($"/api/folders/{folderId}?contents=true&force=true", Ct)) await forced.ShouldBe(HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/media/{used.Id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task BadInput_GetsAProblem_AndChangesNothing()
    {
        var client = await app.ClientAsync();
        var media = await UploadAsync(client, "bad input");
        foreach (var body in new object[]
        {
            new { label = "no key" },
            new { key = "   " },
            new { key = "page:\u0001" },
            new { key = new string('k', 10_000) },
            new { key = "page:/ok", label = new string('l', 300) },
            new { key = "page:/ok", url = "javascript:alert(1)" },
            new { key = "page:/ok", url = "/relative" },
        })
            using (var response = await PutAsync(client, media.Id, body)) await response.ProblemAsync(HttpStatusCode.BadRequest);
        using (var missing = await PutAsync(client, long.MaxValue, new { key = "page:/ok" })) await missing.ProblemAsync(HttpStatusCode.NotFound);
        using (var noKey = await client.DeleteAsync($"/api/media/{media.Id}/references", Ct)) await noKey.ProblemAsync(HttpStatusCode.BadRequest);

        var tenThousand = Enumerable.Range(1, 10_000).Select(i => (long)i).ToArray();
        using (var tooMany = await SyncAsync(client, new { key = "page:/big", media_ids = tenThousand }))
            Assert.Contains("at most 1,000", (await tooMany.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("media_ids")[0].GetString());
        using (var wrongKind = await SyncAsync(client, new { key = "page:/k", media_ids = new object[] { media.Id, "12" } }))
            await wrongKind.ProblemAsync(HttpStatusCode.BadRequest);
        using (var noIds = await SyncAsync(client, new { key = "page:/k" })) await noIds.ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Empty((await ReferencesAsync(client, media.Id)).Results);
        Assert.Equal(0, (await GetAsync(client, media.Id)).ReferenceCount);

        var viewer = await app.ClientAsync(MediaLibrary.Auth.Roles.Viewer);
        using (var put = await PutAsync(viewer, media.Id, new { key = "page:/v" })) Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        using (var sync = await SyncAsync(app.CreateClient(), new { key = "page:/v", media_ids = new[] { media.Id } }))
            Assert.Equal(HttpStatusCode.Unauthorized, sync.StatusCode);
        using (var read = await viewer.GetAsync($"/api/media/{media.Id}/references", Ct)) await read.ShouldBe(HttpStatusCode.OK);
    }
}

public sealed class SqliteReferenceTests(MediaLibraryApp app) : ReferenceTests(app), IClassFixture<MediaLibraryApp>;

public sealed class PostgresReferenceTests(PostgresMediaLibraryApp app) : ReferenceTests(app), IClassFixture<PostgresMediaLibraryApp>;
