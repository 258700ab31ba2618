using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MediaLibrary.Api;
using MediaLibrary.Delivery;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Tests.Api;

/// <summary>POST /api/media/bulk on SQLite and PostgreSQL: each action, per-media results, selection by filter, bad input.</summary>
public abstract class BulkTests(MediaLibraryApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Unique(string prefix = "b") => prefix + Guid.NewGuid().ToString("n")[..10];

    private static async Task<MediaResponse> UploadAsync(HttpClient client, string title, string? tags = null)
    {
        var form = TestFiles.Form(TestFiles.Png(3, 2), "b.png", title);
        if (tags is not null) form.Add(new StringContent(tags), "tags");
        using var response = await client.PostAsync("/api/media", form, Ct);
        await response.ShouldBe(HttpStatusCode.Created);
        return await response.ReadAsync<MediaResponse>();
    }

    private static async Task<long> FolderAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("/api/folders", new { name = Unique("f") }, HttpExtensions.Json, Ct);
        return (await response.ReadAsync<FolderResponse>()).Id;
    }

    private static async Task<BulkResponse> BulkAsync(HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/api/media/bulk", body, HttpExtensions.Json, Ct);
        await response.ShouldBe(HttpStatusCode.OK);
        return await response.ReadAsync<BulkResponse>();
    }

    private static async Task<JsonElement> RefusedAsync(HttpClient client, object body, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        using var response = await client.PostAsJsonAsync("/api/media/bulk", body, HttpExtensions.Json, Ct);
        return await response.ProblemAsync(status);
    }

    private static async Task<MediaResponse> GetAsync(HttpClient client, long id) =>
        (await client.GetFromJsonAsync<MediaResponse>($"/api/media/{id}", HttpExtensions.Json, Ct))!;

    [Fact]
    public async Task Move_Tag_Untag_AndEdit_ChangeEveryMediaNamed_WithAResultEach_AndGoneOrStaleOnesSayWhy()
    {
        var client = await app.ClientAsync();
        var folder = await FolderAsync(client);
        var media = new List<MediaResponse>();
        for (var i = 0; i < 4; i++) media.Add(await UploadAsync(client, Unique("m")));
        var ids = media.Select(m => m.Id).ToList();
        using (var gone = await client.DeleteAsync($"/api/media/{ids[3]}", Ct)) await gone.ShouldBe(HttpStatusCode.NoContent);

        // One media with a stale ETag: refused alone, the others move.
        var moved = await BulkAsync(client, new
        {
            action = "move", ids = ids.Append(ids[0]), folder_id = folder,
            if_match = new Dictionary<string, string> { [ids[1].ToString()] = "\"1-999\"", [ids[2].ToString()] = $"\"{ids[2]}-1\"" },
        });
        Assert.Equal((4, 2, 2), (moved.Selected, moved.Succeeded, moved.Failed)); // the repeated id counts once
        Assert.Equal([(ids[0], 200), (ids[1], 412), (ids[2], 200), (ids[3], 404)], moved.Results.Select(r => (r.Id, r.Status)));
        Assert.Equal(folder, (await GetAsync(client, ids[0])).FolderId);
        Assert.Null((await GetAsync(client, ids[1])).FolderId);
        Assert.Equal((await client.GetAsync($"/api/media/{ids[0]}", Ct)).Headers.ETag!.Tag, moved.Results[0].ETag);
        Assert.Equal([ids[2], ids[0]], await client.ListIdsAsync($"folder={folder}"));

        // Again: already there, so nothing changes (not even the ETag).
        var again = await BulkAsync(client, new { action = "move", ids = ids.Take(1), folder_id = folder });
        Assert.Equal((200, moved.Results[0].ETag), (again.Results[0].Status, again.Results[0].ETag));

        var t = Unique("t");
        var tagged = await BulkAsync(client, new { action = "tag", ids = ids.Take(3), tags = new[] { t, t + "-two" } });
        Assert.All(tagged.Results, r => Assert.Equal(200, r.Status));
        Assert.Equal([t, t + "-two"], (await GetAsync(client, ids[1])).Tags);
        Assert.Equal(ids.Take(3).Order(), (await client.ListIdsAsync($"tag={t}")).Order());
        await BulkAsync(client, new { action = "untag", ids = ids.Take(2), tags = new[] { t.ToUpperInvariant() } });
        Assert.Equal([ids[2]], await client.ListIdsAsync($"tag={t}"));
        Assert.Equal([t + "-two"], (await GetAsync(client, ids[0])).Tags);

        var edited = await BulkAsync(client, new { action = "edit", ids = ids.Take(3), alt_text = "  A red square  " });
        Assert.All(edited.Results, r => Assert.Equal(200, r.Status));
        foreach (var id in ids.Take(3)) Assert.Equal("A red square", (await GetAsync(client, id)).AltText);
        Assert.Equal(media[0].Title, (await GetAsync(client, ids[0])).Title);
    }

    [Fact]
    public async Task Delete_GoesThroughTheDeletePath_RemovingEveryStoredByte_AndReportsEachMedia()
    {
        var client = await app.ClientAsync();
        var media = new List<MediaResponse>();
        for (var i = 0; i < 3; i++) media.Add(await UploadAsync(client, Unique("d")));
        var keys = new List<string>();
        foreach (var m in media) keys.Add(await app.StorageKeyAsync(m.Id));

        var deleted = await BulkAsync(client, new
        {
            action = "delete", ids = media.Select(m => m.Id).Append(long.MaxValue),
            if_match = new Dictionary<string, string> { [media[2].Id.ToString()] = "\"0-0\"" },
        });
        Assert.Equal([204, 204, 412, 404], deleted.Results.Select(r => r.Status));
        Assert.Empty(app.StoredKeys().Intersect(keys.Take(2)));
        Assert.Contains(keys[2], app.StoredKeys());
        Assert.Equal(0, await app.WithDbAsync(db => db.PendingDeletions.CountAsync()));
        using var kept = await client.GetAsync($"/api/media/{media[2].Id}", Ct);
        await kept.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AFilter_SelectsLikeTheList_UpToTheLimit_NewestFirst_AndSaysWhenMoreAreLeft()
    {
        var client = await app.ClientAsync();
        var t = Unique("sel");
        var media = new List<MediaResponse>();
        for (var i = 0; i < 5; i++) media.Add(await UploadAsync(client, $"{t} {i}", tags: i % 2 == 0 ? t : null));
        var target = await FolderAsync(client);

        var first = await BulkAsync(client, new { action = "move", filter = new { search = t }, limit = 3, folder_id = target });
        Assert.Equal((3, true), (first.Selected, first.More));
        Assert.Equal(media.Skip(2).Select(m => m.Id).Reverse(), first.Results.Select(r => r.Id));
        var rest = await BulkAsync(client, new { action = "move", filter = new { search = t, folder = "root" }, limit = 3, folder_id = target });
        Assert.Equal((2, false), (rest.Selected, rest.More));
        Assert.Equal(5, (await client.ListIdsAsync($"folder={target}")).Count);

        var untagged = await BulkAsync(client, new { action = "untag", filter = new { tag = new[] { t }, folder = target }, limit = 10, tags = new[] { t } });
        Assert.Equal(3, untagged.Selected);
        Assert.Empty(await client.ListIdsAsync($"tag={t}"));
        var none = await BulkAsync(client, new { action = "delete", filter = new { tag = new[] { Unique("nobody") } }, limit = 10 });
        Assert.Equal((0, false), (none.Selected, none.More));
        await RefusedAsync(client, new { action = "delete", filter = new { folder = long.MaxValue }, limit = 10 }, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TenThousandMedia_MoveInOneRequest_AndAHundredThousandIdsAreRefused()
    {
        var client = await app.ClientAsync();
        var folder = await FolderAsync(client);
        var first = (await UploadAsync(client, Unique("many"))).Id;
        // 9,999 more rows as the seeding in bench/ makes them: the request is what is under test, not 10,000 uploads.
        var ids = await app.WithDbAsync(async db =>
        {
            var row = await db.Media.AsNoTracking().SingleAsync(m => m.Id == first, Ct);
            db.Media.AddRange(Enumerable.Range(0, 9_999).Select(_ => new MediaLibrary.Media.MediaItem
            {
                StorageId = Guid.NewGuid().ToString("n"), Title = row.Title, AltText = "", FileName = row.FileName, ContentType = row.ContentType,
                Size = row.Size, Sha256 = row.Sha256, Version = 1, Revision = 1, StorageKey = row.StorageKey, StorageProvider = row.StorageProvider,
                CreatedAt = row.CreatedAt, UpdatedAt = row.UpdatedAt,
            }));
            await db.SaveChangesAsync(Ct);
            return await db.Media.Where(m => m.Id >= first).OrderBy(m => m.Id).Select(m => m.Id).Take(10_000).ToListAsync(Ct);
        });
        Assert.Equal(10_000, ids.Count);

        var moved = await BulkAsync(client, new { action = "move", ids, folder_id = folder });
        Assert.Equal((10_000, 10_000, 0), (moved.Selected, moved.Succeeded, moved.Failed));
        Assert.Equal(10_000, await app.WithDbAsync(db => db.Media.CountAsync(m => m.FolderId == folder, Ct)));

        var tooMany = Enumerable.Range(1, 100_000).ToArray();
        await RefusedAsync(client, new { action = "move", ids = tooMany, folder_id = folder }, HttpStatusCode.RequestEntityTooLarge);
        var justOver = Enumerable.Range(1, 10_001).ToArray();
        Assert.Contains("at most 10,000", (await RefusedAsync(client, new { action = "move", ids = justOver, folder_id = (long?)null }))
            .GetProperty("errors").GetProperty("ids")[0].GetString());
        Assert.Equal(10_000, await app.WithDbAsync(db => db.Media.CountAsync(m => m.FolderId == folder, Ct)));
        // Leave the shared app as it was: these rows have no stored file.
        var last = ids[^1];
        await app.WithDbAsync(db => db.Media.Where(m => m.Id > first && m.Id <= last).ExecuteDeleteAsync(Ct));
    }

    [Fact]
    public async Task BadRequests_AreRefusedWithAProblem_AndChangeNothing()
    {
        var client = await app.ClientAsync();
        var media = await UploadAsync(client, Unique("bad"));
        var id = media.Id;
        var cases = new (object Body, string Field)[]
        {
            (new { action = "explode", ids = new[] { id } }, "action"),
            (new { action = "move", folder_id = (long?)null }, "ids"),
            (new { action = "move", ids = new[] { id }, filter = new { search = "x" }, limit = 1, folder_id = (long?)null }, "ids"),
            (new { action = "move", ids = Array.Empty<long>(), folder_id = (long?)null }, "ids"),
            (new { action = "move", ids = new object[] { id, "7", -3, 1.5, "a1b2c3d4-0000-0000-0000-000000000000" }, folder_id = (long?)null }, "ids"),
            (new { action = "move", ids = new[] { id } }, "folder_id"),
            (new { action = "move", ids = new[] { id }, folder_id = "x" }, "folder_id"),
            (new { action = "tag", ids = new[] { id } }, "tags"),
            (new { action = "tag", ids = new[] { id }, tags = new[] { "a,b" } }, "tags"),
            (new { action = "tag", ids = new[] { id }, tags = Enumerable.Range(0, 101).Select(i => $"t{i}") }, "tags"),
            (new { action = "edit", ids = new[] { id } }, "title"),
            (new { action = "edit", ids = new[] { id }, title = "   " }, "title"),
            (new { action = "delete", ids = new[] { id }, title = "not for delete" }, "title"),
            (new { action = "delete", filter = new { search = "x" } }, "limit"),
            (new { action = "delete", filter = new { search = "x" }, limit = 10_001 }, "limit"),
            (new { action = "delete", filter = new { folder = "nowhere" }, limit = 1 }, "filter.folder"),
            (new { action = "delete", ids = new[] { id }, limit = 5 }, "limit"),
            (new { action = "delete", ids = new[] { id }, if_match = new Dictionary<string, string> { ["x"] = "\"1-1\"" } }, "if_match"),
        };
        foreach (var (body, field) in cases)
        {
            var problem = await RefusedAsync(client, body);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{JsonSerializer.Serialize(body)} → {problem}");
        }
        // A folder that is not there: the whole request is refused before any media moves.
        Assert.True((await RefusedAsync(client, new { action = "move", ids = new[] { id }, folder_id = long.MaxValue }))
            .GetProperty("errors").TryGetProperty("folder_id", out _));
        var after = await GetAsync(client, id);
        Assert.Equal((media.Title, media.FolderId, media.UpdatedAt), (after.Title, after.FolderId, after.UpdatedAt));
    }

    [Fact]
    public async Task Bulk_NeedsAnEditor()
    {
        var viewer = await app.ClientAsync(MediaLibrary.Auth.Roles.Viewer);
        using (var refused = await viewer.PostAsJsonAsync("/api/media/bulk", new { action = "delete", ids = new[] { 1 } }, HttpExtensions.Json, Ct))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using (var anonymous = await app.CreateClient().PostAsJsonAsync("/api/media/bulk", new { action = "delete", ids = new[] { 1 } }, HttpExtensions.Json, Ct))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}

public sealed class SqliteBulkTests(MediaLibraryApp app) : BulkTests(app), IClassFixture<MediaLibraryApp>;

public sealed class PostgresBulkTests(PostgresMediaLibraryApp app) : BulkTests(app), IClassFixture<PostgresMediaLibraryApp>;
