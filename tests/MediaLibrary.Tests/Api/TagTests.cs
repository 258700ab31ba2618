using System.Net;
using System.Net.Http.Json;
using MediaLibrary.Api;
using MediaLibrary.Delivery;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Tests.Api;

/// <summary>Tags over HTTP, on SQLite and PostgreSQL: cleaning, the tag endpoints, the list's tag filter, counts, bad input.</summary>
public abstract class TagTests(MediaLibraryApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Tags unique to one test, so that counts and lists see only its own media.</summary>
    private static string Unique(string prefix = "t") => prefix + Guid.NewGuid().ToString("n")[..10];

    private static async Task<MediaResponse> UploadAsync(HttpClient client, string? tags, string title = "tagged", long? folderId = null)
    {
        var form = TestFiles.Form(TestFiles.Png(3, 2), "t.png", title);
        if (tags is not null) form.Add(new StringContent(tags), "tags"); // after the file: fields may come either side of it
        if (folderId is not null) form.Add(new StringContent(folderId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)), "folder_id");
        using var response = await client.PostAsync("/api/media", form, Ct);
        await response.ShouldBe(HttpStatusCode.Created);
        return await response.ReadAsync<MediaResponse>();
    }

    private static async Task<MediaResponse> GetAsync(HttpClient client, long id) =>
        (await client.GetFromJsonAsync<MediaResponse>($"/api/media/{id}", HttpExtensions.Json, Ct))!;

    private static async Task<List<TagResponse>> TagsAsync(HttpClient client, string query) =>
        (await client.GetFromJsonAsync<TagListResponse>($"/api/tags?{query}", HttpExtensions.Json, Ct))!.Results.ToList();

    private static HttpRequestMessage Request(HttpMethod method, string url, object? body = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = JsonContent.Create(body, options: HttpExtensions.Json);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    [Fact]
    public async Task Tags_AreCleanedAndCaseInsensitive_OnUploadPatchAddAndRemove_AndEachChangeIsANewETag()
    {
        var client = await app.ClientAsync();
        var u = Unique();
        var media = await UploadAsync(client, $" {u}Summer  days ,{u}beach,{u}SUMMER   DAYS,, ");
        Assert.Equal([$"{u}beach", $"{u}Summer days"], media.Tags);

        // PATCH replaces the whole list; a tag keeps the spelling it was first given.
        using (var patch = await client.PatchAsJsonAsync($"/api/media/{media.Id}", new { tags = new[] { $"{u}summer days", $"{u}Sea" } }, HttpExtensions.Json, Ct))
        {
            await patch.ShouldBe(HttpStatusCode.OK);
            Assert.Equal([$"{u}Sea", $"{u}Summer days"], (await patch.ReadAsync<MediaResponse>()).Tags);
        }
        var etag = (await client.GetAsync($"/api/media/{media.Id}", Ct)).Headers.ETag!.Tag;

        // Adding what it has already changes nothing, not even the ETag.
        using (var same = await client.PostAsJsonAsync($"/api/media/{media.Id}/tags", new { tags = new[] { $"{u}SEA" } }, HttpExtensions.Json, Ct))
        {
            await same.ShouldBe(HttpStatusCode.OK);
            Assert.Equal(etag, same.Headers.ETag!.Tag);
        }
        using (var add = await client.SendAsync(Request(HttpMethod.Post, $"/api/media/{media.Id}/tags", new { tags = new[] { $"{u}Boat", $"{u}beach" } }, etag), Ct))
        {
            await add.ShouldBe(HttpStatusCode.OK);
            Assert.NotEqual(etag, add.Headers.ETag!.Tag);
            Assert.Equal([$"{u}beach", $"{u}Boat", $"{u}Sea", $"{u}Summer days"], (await add.ReadAsync<MediaResponse>()).Tags);
        }
        // The old ETag is stale now: 412, and nothing changes.
        using (var stale = await client.SendAsync(Request(HttpMethod.Delete, $"/api/media/{media.Id}/tags?tag={u}boat", ifMatch: etag), Ct))
            await stale.ProblemAsync(HttpStatusCode.PreconditionFailed);
        using (var remove = await client.DeleteAsync($"/api/media/{media.Id}/tags?tag={u}BOAT&tag={u}sea&tag={u}never-had-it", Ct))
            Assert.Equal([$"{u}beach", $"{u}Summer days"], (await remove.ReadAsync<MediaResponse>()).Tags);
        using (var clear = await client.PatchAsJsonAsync($"/api/media/{media.Id}", new { tags = Array.Empty<string>() }, HttpExtensions.Json, Ct))
            Assert.Empty((await clear.ReadAsync<MediaResponse>()).Tags);
        using (var title = await client.PatchAsJsonAsync($"/api/media/{media.Id}", new { title = "no tags given" }, HttpExtensions.Json, Ct))
            Assert.Empty((await title.ReadAsync<MediaResponse>()).Tags);
        Assert.Empty((await GetAsync(client, media.Id)).Tags);
    }

    [Fact]
    public async Task TheList_FiltersByAllTheTagsGiven_WithSearchFolderTypeAndOrdering_AndPagesByLinks()
    {
        var client = await app.ClientAsync();
        var (red, big, word) = (Unique("red"), Unique("big"), Unique("w"));
        var folder = await client.PostAsJsonAsync("/api/folders", new { name = Unique("f") }, HttpExtensions.Json, Ct);
        var folderId = (await folder.ReadAsync<FolderResponse>()).Id;
        var a = await UploadAsync(client, red, $"{word} a");
        var b = await UploadAsync(client, $"{red},{big}", $"{word} b", folderId);
        var c = await UploadAsync(client, $"{big},{red}", $"{word} c");
        var d = await UploadAsync(client, big, $"{word} d");
        var e = await UploadAsync(client, $"{red},{big}", "other e");

        Assert.Equal([e.Id, c.Id, b.Id, a.Id], await client.ListIdsAsync($"tag={red}"));
        Assert.Equal([e.Id, c.Id, b.Id], await client.ListIdsAsync($"tag={red}&tag={big.ToUpperInvariant()}"));
        Assert.Equal([b.Id, c.Id], await client.ListIdsAsync($"tag={red}&tag={big}&search={word}&ordering=title"));
        Assert.Equal([b.Id], await client.ListIdsAsync($"tag={big}&folder={folderId}"));
        Assert.Equal([e.Id, d.Id, c.Id], await client.ListIdsAsync($"tag={big}&folder=root"));
        Assert.Equal([a.Id, b.Id, c.Id, e.Id], await client.ListIdsAsync($"tag={red}&content_type=image/*&ordering=created_at"));
        Assert.Empty(await client.ListIdsAsync($"tag={red}&content_type=application/pdf"));

        // One tag is counted exactly; the previous link leads back.
        var first = await client.GetFromJsonAsync<MediaListResponse>($"/api/media?tag={red}&page_size=3", HttpExtensions.Json, Ct);
        Assert.Equal((4, true), (first!.Count, first.CountExact));
        var second = await client.GetFromJsonAsync<MediaListResponse>(HttpExtensions.PathOf(first.Next!), HttpExtensions.Json, Ct);
        Assert.Equal([a.Id], second!.Results.Select(m => m.Id));
        var back = await client.GetFromJsonAsync<MediaListResponse>(HttpExtensions.PathOf(second.Previous!), HttpExtensions.Json, Ct);
        Assert.Equal([e.Id, c.Id, b.Id], back!.Results.Select(m => m.Id));
        Assert.Equal(3, (await client.GetFromJsonAsync<MediaListResponse>($"/api/media?tag={red}&tag={big}&page_size=1", HttpExtensions.Json, Ct))!.Count);

        // A tag no media has matches nothing.
        var none = await client.GetFromJsonAsync<MediaListResponse>($"/api/media?tag={red}&tag={Unique("nobody")}", HttpExtensions.Json, Ct);
        Assert.Equal((0, true, 0), (none!.Count, none.CountExact, none.Results.Count));
    }

    [Fact]
    public async Task TheTagList_CountsMedia_MostUsedFirst_CompletesAPrefixWhateverTheCase_AndForgetsDeletedMedia()
    {
        var client = await app.ClientAsync();
        var p = Unique("Pre");
        var one = await UploadAsync(client, $"{p}-alpha,{p}-beta");
        await UploadAsync(client, $"{p}-beta,{p}-gamma");
        await UploadAsync(client, $"{p}-BETA");
        await UploadAsync(client, $"{p}-gamma");

        var listed = await TagsAsync(client, $"prefix={p.ToUpperInvariant()}-");
        Assert.Equal([($"{p}-beta", 3), ($"{p}-gamma", 2), ($"{p}-alpha", 1)], listed.Select(t => (t.Name, t.Count)));
        Assert.Equal([$"{p}-beta"], (await TagsAsync(client, $"prefix={p}-&limit=1")).Select(t => t.Name));
        Assert.Equal([$"{p}-gamma"], (await TagsAsync(client, $"prefix={p}-g")).Select(t => t.Name));
        Assert.Contains(await TagsAsync(client, "limit=1000"), t => t.Name == $"{p}-alpha");

        // A deleted media takes its tags with it; a tag no media has is not listed.
        using (var delete = await client.DeleteAsync($"/api/media/{one.Id}", Ct)) await delete.ShouldBe(HttpStatusCode.NoContent);
        Assert.Equal([($"{p}-beta", 2), ($"{p}-gamma", 2)], (await TagsAsync(client, $"prefix={p}")).Select(t => (t.Name, t.Count)));
        Assert.Equal(0, await app.WithDbAsync(db => db.MediaTags.CountAsync(l => l.MediaId == one.Id)));
    }

    [Fact]
    public async Task EveryWayOfTagging_IsWhatTheListsByTagsFind_AndPostgreSQLsCopyOfTheTagIdsFollowsTheLinks()
    {
        var client = await app.ClientAsync();
        var (x, y, word) = (Unique("x"), Unique("y"), Unique("w"));
        var a = await UploadAsync(client, $"{x},{y}", $"{word} a");
        var b = await UploadAsync(client, x, $"{word} b");
        var c = await UploadAsync(client, null, $"{word} c");
        var d = await UploadAsync(client, $"{y},{x}", "other d");
        using (var patch = await client.PatchAsJsonAsync($"/api/media/{b.Id}", new { tags = new[] { y } }, HttpExtensions.Json, Ct))
            await patch.ShouldBe(HttpStatusCode.OK);
        using (var add = await client.PostAsJsonAsync($"/api/media/{c.Id}/tags", new { tags = new[] { x, y } }, HttpExtensions.Json, Ct))
            await add.ShouldBe(HttpStatusCode.OK);
        using (var remove = await client.DeleteAsync($"/api/media/{a.Id}/tags?tag={y}", Ct))
            await remove.ShouldBe(HttpStatusCode.OK);
        using (var bulkTag = await client.PostAsJsonAsync("/api/media/bulk", new { action = "tag", ids = new[] { a.Id, b.Id }, tags = new[] { y } }, HttpExtensions.Json, Ct))
            await bulkTag.ShouldBe(HttpStatusCode.OK);
        using (var bulkUntag = await client.PostAsJsonAsync("/api/media/bulk", new { action = "untag", ids = new[] { c.Id, d.Id }, tags = new[] { x } }, HttpExtensions.Json, Ct))
            await bulkUntag.ShouldBe(HttpStatusCode.OK);

        // a: x, y; b, c, d: y. Two tags test one of them on each row (on PostgreSQL, in the copy), either way round.
        Assert.Equal([a.Id], await client.ListIdsAsync($"tag={x}&tag={y}"));
        Assert.Equal([a.Id], await client.ListIdsAsync($"tag={y}&tag={x}&search={word}"));
        Assert.Equal([d.Id, c.Id, b.Id, a.Id], await client.ListIdsAsync($"tag={y}"));
        Assert.Equal([c.Id, b.Id, a.Id], await client.ListIdsAsync($"tag={y}&tag={y.ToUpperInvariant()}&search={word}"));
        Assert.Equal([a.Id], await client.ListIdsAsync($"tag={x}&search={word}"));

        var mismatched = await app.WithDbAsync(async db =>
        {
            if (!db.Database.IsNpgsql()) return [];
            var ids = new[] { a.Id, b.Id, c.Id, d.Id };
            var copies = await db.Media.Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.TagIds, Ct);
            var links = (await db.MediaTags.Where(l => ids.Contains(l.MediaId)).ToListAsync(Ct)).ToLookup(l => l.MediaId, l => l.TagId);
            return ids.Where(id => !copies[id].SequenceEqual(links[id].Order())).ToList();
        });
        Assert.Empty(mismatched);
    }

    [Fact]
    public async Task ConcurrentTagChanges_OfOneMedia_AllLand()
    {
        var client = await app.ClientAsync();
        var u = Unique();
        var media = await UploadAsync(client, null);
        var adds = Enumerable.Range(0, 8).Select(i => client.PostAsJsonAsync($"/api/media/{media.Id}/tags", new { tags = new[] { $"{u}-{i}", $"{u}-shared" } }, HttpExtensions.Json, Ct)).ToList();
        foreach (var response in await Task.WhenAll(adds))
            using (response) await response.ShouldBe(HttpStatusCode.OK);
        var tags = (await GetAsync(client, media.Id)).Tags;
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"{u}-{i}").Append($"{u}-shared").Order(StringComparer.Ordinal), tags.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("a,b")]
    [InlineData("tab\there")]
    [InlineData("   ")]
    [InlineData("zero\u200bwidth")]
    public async Task BadTags_AreRefusedWithAProblem_AndChangeNothing(string tag)
    {
        var client = await app.ClientAsync();
        var u = Unique();
        var media = await UploadAsync(client, u);
        using (var patch = await client.PatchAsJsonAsync($"/api/media/{media.Id}", new { title = "changed", tags = new[] { "fine", tag } }, HttpExtensions.Json, Ct))
            Assert.True((await patch.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("tags", out _));
        using (var add = await client.PostAsJsonAsync($"/api/media/{media.Id}/tags", new { tags = new[] { tag } }, HttpExtensions.Json, Ct))
            await add.ProblemAsync(HttpStatusCode.BadRequest);
        using (var list = await client.GetAsync($"/api/media?tag={Uri.EscapeDataString(tag)}", Ct))
            await list.ProblemAsync(HttpStatusCode.BadRequest);
        var after = await GetAsync(client, media.Id);
        Assert.Equal("tagged", after.Title);
        Assert.Equal([u], after.Tags);
    }

    [Fact]
    public async Task TooManyOrTooLongTags_AreRefused_AndNothingIsStoredOrCreated()
    {
        var client = await app.ClientAsync();
        var u = Unique();
        var media = await UploadAsync(client, null);
        var tenThousand = Enumerable.Range(0, 10_000).Select(i => $"{u}-{i}").ToArray();
        // 10,000 tags do not fit the JSON body limit; 101 fit it and are one too many.
        using (var patch = await client.PatchAsJsonAsync($"/api/media/{media.Id}", new { tags = tenThousand }, HttpExtensions.Json, Ct))
            await patch.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        using (var patch = await client.PatchAsJsonAsync($"/api/media/{media.Id}", new { tags = tenThousand.Take(101) }, HttpExtensions.Json, Ct))
            Assert.Contains("at most 100", (await patch.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("tags")[0].GetString());
        using (var longOne = await client.PostAsJsonAsync($"/api/media/{media.Id}/tags", new { tags = new[] { new string('x', 65) } }, HttpExtensions.Json, Ct))
            await longOne.ProblemAsync(HttpStatusCode.BadRequest);
        using (var huge = await client.PostAsJsonAsync($"/api/media/{media.Id}/tags", new { tags = new[] { new string('x', 10_000) } }, HttpExtensions.Json, Ct))
            await huge.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(0, await app.WithDbAsync(db => db.Tags.CountAsync(t => t.Key.StartsWith(u))));

        // 100 fit; the 101st (added later) is refused and the 100 stay.
        var hundred = tenThousand.Take(100).ToArray();
        using (var fits = await client.PatchAsJsonAsync($"/api/media/{media.Id}", new { tags = hundred }, HttpExtensions.Json, Ct)) await fits.ShouldBe(HttpStatusCode.OK);
        using (var over = await client.PostAsJsonAsync($"/api/media/{media.Id}/tags", new { tags = new[] { $"{u}-one-more" } }, HttpExtensions.Json, Ct))
            await over.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(100, (await GetAsync(client, media.Id)).Tags.Count);

        // On upload the file is not kept when its tags are refused.
        var before = app.StoredKeys();
        var form = TestFiles.Form(TestFiles.Png(2, 2));
        form.Add(new StringContent(string.Join(',', tenThousand.Take(101))), "tags");
        using (var upload = await client.PostAsync("/api/media", form, Ct)) await upload.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(before, app.StoredKeys());

        using (var badLimit = await client.GetAsync("/api/tags?limit=0", Ct)) await badLimit.ProblemAsync(HttpStatusCode.BadRequest);
        using (var badPrefix = await client.GetAsync($"/api/tags?prefix={new string('p', 300)}", Ct)) await badPrefix.ProblemAsync(HttpStatusCode.BadRequest);
        using (var notAList = await client.PatchAsJsonAsync($"/api/media/{media.Id}", new { tags = "one" }, HttpExtensions.Json, Ct))
            await notAList.ProblemAsync(HttpStatusCode.BadRequest);
        using (var missing = await client.PostAsJsonAsync($"/api/media/{long.MaxValue}/tags", new { tags = new[] { "x" } }, HttpExtensions.Json, Ct))
            await missing.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TagChanges_NeedAnEditor_AndTheTagListFollowsTheReadSetting()
    {
        var media = await UploadAsync(await app.ClientAsync(), Unique());
        var viewer = await app.ClientAsync(MediaLibrary.Auth.Roles.Viewer);
        using (var add = await viewer.PostAsJsonAsync($"/api/media/{media.Id}/tags", new { tags = new[] { "x" } }, HttpExtensions.Json, Ct))
            Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
        using (var remove = await app.CreateClient().DeleteAsync($"/api/media/{media.Id}/tags?tag=x", Ct))
            Assert.Equal(HttpStatusCode.Unauthorized, remove.StatusCode);
        using (var read = await app.CreateClient().GetAsync("/api/tags", Ct)) await read.ShouldBe(HttpStatusCode.OK);
    }
}

public sealed class SqliteTagTests(MediaLibraryApp app) : TagTests(app), IClassFixture<MediaLibraryApp>;

public sealed class PostgresTagTests(PostgresMediaLibraryApp app) : TagTests(app), IClassFixture<PostgresMediaLibraryApp>;
