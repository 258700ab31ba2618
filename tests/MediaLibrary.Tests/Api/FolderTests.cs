using System.Net;
using System.Net.Http.Json;
using MediaLibrary.Api;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Tests.Api;

/// <summary>The folder tree over HTTP, on SQLite and PostgreSQL: names, breadcrumbs, moves, cycles, races, bad input.</summary>
public abstract class FolderTests(MediaLibraryApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Unique(string prefix = "f") => prefix + Guid.NewGuid().ToString("n")[..10];

    private async Task<FolderResponse> CreateAsync(HttpClient client, string name, long? parentId = null)
    {
        using var response = await client.PostAsJsonAsync("/api/folders", new { name, parent_id = parentId }, HttpExtensions.Json, Ct);
        await response.ShouldBe(HttpStatusCode.Created);
        return await response.ReadAsync<FolderResponse>();
    }

    private static async Task<FolderResponse> GetAsync(HttpClient client, long id)
    {
        using var response = await client.GetAsync($"/api/folders/{id}", Ct);
        await response.ShouldBe(HttpStatusCode.OK);
        return await response.ReadAsync<FolderResponse>();
    }

    private static async Task<HttpResponseMessage> MoveAsync(HttpClient client, long id, long? parentId) =>
        await client.PostAsJsonAsync($"/api/folders/{id}/move", new { parent_id = parentId }, HttpExtensions.Json, Ct);

    [Fact]
    public async Task Folders_NestWithABreadcrumb_ListTheirChildrenByName_AndRenameInPlace()
    {
        var client = await app.ClientAsync();
        var top = await CreateAsync(client, Unique("Top "));
        var b = await CreateAsync(client, "  Beta   photos ", top.Id);
        var a = await CreateAsync(client, "alpha", top.Id);
        var deep = await CreateAsync(client, "Déjà vu", b.Id);

        Assert.Equal("Beta photos", b.Name); // white space cleaned like a file name's
        var read = await GetAsync(client, deep.Id);
        Assert.Equal((deep.Id, "Déjà vu", b.Id, 3), (read.Id, read.Name, read.ParentId, read.Depth));
        Assert.Equal([new FolderCrumb(top.Id, top.Name), new FolderCrumb(b.Id, "Beta photos")], read.Path);

        var children = await client.GetFromJsonAsync<FolderListResponse>($"/api/folders?parent={top.Id}", HttpExtensions.Json, Ct);
        Assert.Equal(["alpha", "Beta photos"], children!.Results.Select(f => f.Name));
        var tops = await client.GetFromJsonAsync<FolderListResponse>("/api/folders?parent=root", HttpExtensions.Json, Ct);
        Assert.Contains(tops!.Results, f => f.Id == top.Id);
        Assert.DoesNotContain(tops.Results, f => f.Id == a.Id);

        using var renamed = await client.PatchAsJsonAsync($"/api/folders/{b.Id}", new { name = "Gamma" }, HttpExtensions.Json, Ct);
        await renamed.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("Gamma", (await GetAsync(client, deep.Id)).Path![1].Name);
    }

    [Fact]
    public async Task SiblingNames_AreUniqueWhateverTheirCase_AtTheTopToo_ButMayRepeatElsewhere()
    {
        var client = await app.ClientAsync();
        var name = Unique("Shared");
        var top = await CreateAsync(client, name);
        using (var again = await client.PostAsJsonAsync("/api/folders", new { name = name.ToUpperInvariant() }, HttpExtensions.Json, Ct))
            Assert.Equal("A folder of that name is already there.", (await again.ProblemAsync(HttpStatusCode.Conflict)).GetProperty("title").GetString());
        var child = await CreateAsync(client, name, top.Id); // the same name one level down is another sibling set
        var other = await CreateAsync(client, "other", top.Id);
        using (var rename = await client.PatchAsJsonAsync($"/api/folders/{other.Id}", new { name = name.ToLowerInvariant() }, HttpExtensions.Json, Ct))
            await rename.ProblemAsync(HttpStatusCode.Conflict);
        using (var move = await MoveAsync(client, child.Id, null)) // onto the top, beside its namesake
            await move.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(top.Id, (await GetAsync(client, child.Id)).ParentId);
    }

    [Fact]
    public async Task Moves_CarryTheWholeSubtree_AndAMoveIntoItselfOrBelowIsRefused()
    {
        var client = await app.ClientAsync();
        var a = await CreateAsync(client, Unique("A"));
        var b = await CreateAsync(client, "B", a.Id);
        var c = await CreateAsync(client, "C", b.Id);
        var d = await CreateAsync(client, Unique("D"));

        foreach (var into in new long?[] { a.Id, b.Id, c.Id })
        {
            using var cycle = await MoveAsync(client, a.Id, into);
            Assert.Equal("A folder cannot move into itself.", (await cycle.ProblemAsync(HttpStatusCode.Conflict)).GetProperty("title").GetString());
        }

        using (var moved = await MoveAsync(client, b.Id, d.Id)) await moved.ShouldBe(HttpStatusCode.OK);
        var cRead = await GetAsync(client, c.Id);
        Assert.Equal([d.Id, b.Id], cRead.Path!.Select(p => p.Id));
        Assert.Equal(3, cRead.Depth);
        using (var toTop = await MoveAsync(client, b.Id, null)) await toTop.ShouldBe(HttpStatusCode.OK);
        Assert.Equal((1, 2), ((await GetAsync(client, b.Id)).Depth, (await GetAsync(client, c.Id)).Depth));
        using (var missing = await MoveAsync(client, b.Id, long.MaxValue)) await missing.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TwoMovesRacing_IntoEachOther_NeverMakeACycle()
    {
        var client = await app.ClientAsync();
        for (var round = 0; round < 10; round++)
        {
            var x = await CreateAsync(client, Unique("X"));
            var y = await CreateAsync(client, Unique("Y"));
            var results = await Task.WhenAll(MoveAsync(client, x.Id, y.Id), MoveAsync(client, y.Id, x.Id));
            Assert.Equal(1, results.Count(r => r.StatusCode == HttpStatusCode.OK));
            Assert.Equal(1, results.Count(r => r.StatusCode == HttpStatusCode.Conflict));
            foreach (var r in results) r.Dispose();
            var (xr, yr) = (await GetAsync(client, x.Id), await GetAsync(client, y.Id));
            Assert.True((xr.ParentId == y.Id && yr.ParentId is null) || (yr.ParentId == x.Id && xr.ParentId is null), "the tree has a cycle");
        }
    }

    [Fact]
    public async Task TheTree_IsAtMost32Deep()
    {
        var client = await app.ClientAsync();
        long? parent = null;
        for (var depth = 1; depth <= 32; depth++) parent = (await CreateAsync(client, depth == 1 ? Unique("deep") : $"level {depth}", parent)).Id;
        using (var tooDeep = await client.PostAsJsonAsync("/api/folders", new { name = "33", parent_id = parent }, HttpExtensions.Json, Ct))
            await tooDeep.ProblemAsync(HttpStatusCode.Conflict);
        // A subtree two deep cannot go under level 31 either.
        var pair = await CreateAsync(client, Unique("pair"));
        await CreateAsync(client, "inner", pair.Id);
        var level31 = (await GetAsync(client, parent!.Value)).ParentId;
        using var move = await MoveAsync(client, pair.Id, level31);
        await move.ProblemAsync(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("tab\there")]
    [InlineData("   ")]
    [InlineData("..")]
    [InlineData("\u202Eevil")]
    public async Task BadNames_AreRefusedWithAProblem_AndNothingIsMade(string name)
    {
        var client = await app.ClientAsync();
        var parent = await CreateAsync(client, Unique("bad"));
        using var response = await client.PostAsJsonAsync("/api/folders", new { name, parent_id = parent.Id }, HttpExtensions.Json, Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _));
        Assert.Empty((await client.GetFromJsonAsync<FolderListResponse>($"/api/folders?parent={parent.Id}", HttpExtensions.Json, Ct))!.Results);
    }

    [Fact]
    public async Task OverlongNames_MissingParents_AndBadParentsAreRefused()
    {
        var client = await app.ClientAsync();
        using (var longName = await client.PostAsJsonAsync("/api/folders", new { name = new string('x', 10_000) }, HttpExtensions.Json, Ct))
            await longName.ProblemAsync(HttpStatusCode.BadRequest);
        using (var noParent = await client.PostAsJsonAsync("/api/folders", new { name = "orphan", parent_id = long.MaxValue }, HttpExtensions.Json, Ct))
            Assert.Equal("Parent folder not found.", (await noParent.ProblemAsync(HttpStatusCode.NotFound)).GetProperty("title").GetString());
        using (var badQuery = await client.GetAsync("/api/folders?parent=abc", Ct)) await badQuery.ProblemAsync(HttpStatusCode.BadRequest);
        using (var unknown = await client.GetAsync($"/api/folders?parent={long.MaxValue}", Ct)) await unknown.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_RemovesAnEmptyFolder_AndRefusesOneWithFoldersIn()
    {
        var client = await app.ClientAsync();
        var parent = await CreateAsync(client, Unique("del"));
        var child = await CreateAsync(client, "child", parent.Id);
        using (var refused = await client.DeleteAsync($"/api/folders/{parent.Id}", Ct)) await refused.ProblemAsync(HttpStatusCode.Conflict);
        using (var gone = await client.DeleteAsync($"/api/folders/{child.Id}", Ct)) await gone.ShouldBe(HttpStatusCode.NoContent);
        using (var now = await client.DeleteAsync($"/api/folders/{parent.Id}", Ct)) await now.ShouldBe(HttpStatusCode.NoContent);
        using (var again = await client.DeleteAsync($"/api/folders/{parent.Id}", Ct)) await again.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Changes_NeedAnEditor_AndReadsFollowTheReadSetting()
    {
        var viewer = await app.ClientAsync(MediaLibrary.Auth.Roles.Viewer);
        using (var create = await viewer.PostAsJsonAsync("/api/folders", new { name = Unique() }, HttpExtensions.Json, Ct))
            Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        using (var anonymous = await app.CreateClient().PostAsJsonAsync("/api/folders", new { name = Unique() }, HttpExtensions.Json, Ct))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using (var read = await app.CreateClient().GetAsync("/api/folders", Ct)) await read.ShouldBe(HttpStatusCode.OK);
    }

    private async Task<MediaLibrary.Delivery.MediaResponse> UploadIntoAsync(HttpClient client, long? folderId, string title, byte[]? file = null)
    {
        var form = TestFiles.Form(file ?? TestFiles.Png(3, 2), "f.png", title);
        if (folderId is not null) form.Add(new StringContent(folderId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)), "folder_id");
        using var response = await client.PostAsync("/api/media", form, Ct);
        await response.ShouldBe(HttpStatusCode.Created);
        return await response.ReadAsync<MediaLibrary.Delivery.MediaResponse>();
    }

    [Fact]
    public async Task Media_GoIntoAFolderOnUpload_MoveByPatch_AndTheListFiltersByFolder_DirectOrBelow()
    {
        var client = await app.ClientAsync();
        var top = await CreateAsync(client, Unique("Shop"));
        var shoes = await CreateAsync(client, "Shoes", top.Id);
        var tag = Unique("m");
        var inTop = await UploadIntoAsync(client, top.Id, tag + " top");
        var inShoes = new List<long>();
        for (var i = 0; i < 3; i++) inShoes.Add((await UploadIntoAsync(client, shoes.Id, $"{tag} shoe {i}")).Id);
        var atRoot = await UploadIntoAsync(client, null, tag + " root");
        Assert.Equal(top.Id, inTop.FolderId);
        Assert.Null(atRoot.FolderId);

        // Paged by links, each exactly once, newest first; and the count.
        Assert.Equal(Enumerable.Reverse(inShoes), await client.ListIdsAsync($"folder={shoes.Id}"));
        Assert.Equal([inTop.Id], await client.ListIdsAsync($"folder={top.Id}"));
        Assert.Equal(inShoes.Append(inTop.Id).Order(), (await client.ListIdsAsync($"folder={top.Id}&recursive=true")).Order());
        var first = await client.GetFromJsonAsync<MediaListResponse>($"/api/media?folder={top.Id}&recursive=true&page_size=1", HttpExtensions.Json, Ct);
        Assert.Equal(4, first!.Count);
        Assert.Contains(atRoot.Id, await client.ListIdsAsync($"folder=root&search={tag}"));
        Assert.DoesNotContain(inTop.Id, await client.ListIdsAsync($"folder=root&search={tag}"));
        // With search and ordering: "shoe 1" in the subtree, by title.
        Assert.Equal([inShoes[1]], await client.ListIdsAsync($"folder={top.Id}&recursive=true&search={Uri.EscapeDataString(tag + " shoe 1")}&ordering=title"));

        // PATCH moves it (a new ETag), null moves it to the top.
        using (var moved = await client.PatchAsJsonAsync($"/api/media/{inShoes[0]}", new { folder_id = top.Id }, HttpExtensions.Json, Ct))
        {
            await moved.ShouldBe(HttpStatusCode.OK);
            Assert.Equal(top.Id, (await moved.ReadAsync<MediaLibrary.Delivery.MediaResponse>()).FolderId);
        }
        Assert.Equal(2, (await client.ListIdsAsync($"folder={top.Id}")).Count);
        using (var toTop = await client.PatchAsJsonAsync($"/api/media/{inShoes[0]}", new { folder_id = (long?)null }, HttpExtensions.Json, Ct))
            Assert.Null((await toTop.ReadAsync<MediaLibrary.Delivery.MediaResponse>()).FolderId);
        using (var titleOnly = await client.PatchAsJsonAsync($"/api/media/{inShoes[1]}", new { title = "kept in place" }, HttpExtensions.Json, Ct))
            Assert.Equal(shoes.Id, (await titleOnly.ReadAsync<MediaLibrary.Delivery.MediaResponse>()).FolderId);
    }

    [Fact]
    public async Task MovingAndRenamingFolders_ChangeNoStoredObjectAndNoUrl()
    {
        var client = await app.ClientAsync();
        var a = await CreateAsync(client, Unique("A"));
        var b = await CreateAsync(client, "B", a.Id);
        var media = await UploadIntoAsync(client, b.Id, Unique("photo"));
        var stored = app.StoredKeys();

        using (await MoveAsync(client, b.Id, null)) { }
        using (await client.PatchAsJsonAsync($"/api/folders/{b.Id}", new { name = "Renamed" }, HttpExtensions.Json, Ct)) { }

        Assert.Equal(stored, app.StoredKeys());
        var read = await client.GetFromJsonAsync<MediaLibrary.Delivery.MediaResponse>($"/api/media/{media.Id}", HttpExtensions.Json, Ct);
        Assert.Equal((media.Url, b.Id), (read!.Url, read.FolderId));
        Assert.Equal(TestFiles.Png(3, 2), await client.GetByteArrayAsync(HttpExtensions.PathOf(read.Url), Ct));
    }

    [Fact]
    public async Task AFolderWithMedia_IsDeletedOnlyWithItsContents_WhichLeaveStorageLikeAnyDeletedMedia()
    {
        var client = await app.ClientAsync();
        var a = await CreateAsync(client, Unique("Old campaign"));
        var b = await CreateAsync(client, "Banners", a.Id);
        var media = new[] { await UploadIntoAsync(client, a.Id, Unique("x")), await UploadIntoAsync(client, b.Id, Unique("y")) };
        var keys = new List<string>();
        foreach (var m in media) keys.Add(await app.StorageKeyAsync(m.Id));

        using (var refused = await client.DeleteAsync($"/api/folders/{b.Id}", Ct))
            Assert.Contains("media", (await refused.ProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString());
        using (var all = await client.DeleteAsync($"/api/folders/{a.Id}?contents=true", Ct)) await all.ShouldBe(HttpStatusCode.NoContent);

        foreach (var m in media)
            using (var gone = await client.GetAsync($"/api/media/{m.Id}", Ct)) Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Empty(app.StoredKeys().Intersect(keys));
        using (var folderGone = await client.GetAsync($"/api/folders/{b.Id}", Ct)) Assert.Equal(HttpStatusCode.NotFound, folderGone.StatusCode);
    }

    [Fact]
    public async Task AMissingFolder_IsRefusedOnUploadAndPatch_AndNothingIsStored_AndTheListSays404()
    {
        var client = await app.ClientAsync();
        var before = app.StoredKeys();
        var form = TestFiles.Form(TestFiles.Png(2, 2));
        form.Add(new StringContent(long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture)), "folder_id");
        using (var upload = await client.PostAsync("/api/media", form, Ct))
            Assert.True((await upload.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("folder_id", out _));
        Assert.Equal(before, app.StoredKeys());

        var media = await UploadIntoAsync(client, null, Unique("p"));
        foreach (var body in new object[] { new { folder_id = long.MaxValue }, new { folder_id = "3" }, new { folder_id = -1 } })
            using (var patch = await client.PatchAsJsonAsync($"/api/media/{media.Id}", body, HttpExtensions.Json, Ct))
                await patch.ProblemAsync(HttpStatusCode.BadRequest);
        using (var list = await client.GetAsync($"/api/media?folder={long.MaxValue}", Ct)) await list.ProblemAsync(HttpStatusCode.NotFound);
        using (var bad = await client.GetAsync("/api/media?folder=x", Ct)) await bad.ProblemAsync(HttpStatusCode.BadRequest);
        using (var alone = await client.GetAsync("/api/media?recursive=true", Ct)) await alone.ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task UploadsRacingTheFoldersDeletion_NeverLeaveMediaInAFolderThatIsGone()
    {
        var client = await app.ClientAsync();
        for (var round = 0; round < 8; round++)
        {
            var folder = await CreateAsync(client, Unique("race"));
            var form = TestFiles.Form(TestFiles.Png(2, 2), "r.png", Unique("r"));
            form.Add(new StringContent(folder.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), "folder_id");
            var upload = client.PostAsync("/api/media", form, Ct);
            var delete = client.DeleteAsync($"/api/folders/{folder.Id}", Ct);
            using var up = await upload;
            using var del = await delete;
            // Either the upload landed first (and the delete is refused) or the folder went first (and the upload is).
            Assert.True((up.StatusCode, del.StatusCode) is (HttpStatusCode.Created, HttpStatusCode.Conflict) or (HttpStatusCode.BadRequest, HttpStatusCode.NoContent),
                $"upload {(int)up.StatusCode}, delete {(int)del.StatusCode}");
        }
        var orphans = await app.WithDbAsync(db => db.Media.CountAsync(m => m.FolderId != null && !db.Folders.Any(f => f.Id == m.FolderId)));
        Assert.Equal(0, orphans);
    }
}

public sealed class SqliteFolderTests(MediaLibraryApp app) : FolderTests(app), IClassFixture<MediaLibraryApp>;

public sealed class PostgresFolderTests(PostgresMediaLibraryApp app) : FolderTests(app), IClassFixture<PostgresMediaLibraryApp>;
