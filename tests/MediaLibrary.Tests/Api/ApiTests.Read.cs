using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MediaLibrary.Api;
using MediaLibrary.Delivery;
using MediaLibrary.Media;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Tests.Api;

public abstract partial class ApiTests
{
    [Fact]
    public async Task Get_IsAnonymous_CarriesETag_AndIfNoneMatchGives304()
    {
        var media = await (await App.ClientAsync()).UploadAsync(TestFiles.Png(3, 3));
        var anonymous = App.CreateClient();

        using var first = await anonymous.GetAsync($"/api/media/{media.Id}", Ct);
        await first.ShouldBe(HttpStatusCode.OK);
        Assert.Equivalent(media, await first.ReadAsync<MediaResponse>(), strict: true);
        var etag = first.Headers.ETag!;
        Assert.Equal("no-store", first.Headers.CacheControl!.ToString());
        Assert.Equal("nosniff", first.Headers.GetValues("X-Content-Type-Options").Single());

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/media/{media.Id}");
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await anonymous.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task Get_UnknownId_Returns404Problem()
    {
        using var response = await App.CreateClient().GetAsync("/api/media/987654321", Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("987654321", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task List_SearchMatchesTitleAltTextAndFileName_CaseInsensitively()
    {
        var tag = Unique("s");
        var client = await App.ClientAsync();
        var byTitle = await client.UploadAsync(TestFiles.Png(2, 2), "a.png", $"Title {tag.ToUpperInvariant()}");
        var byAlt = await client.UploadAsync(TestFiles.Png(2, 2), "b.png", "other", $"alt {tag}");
        var byName = await client.UploadAsync(TestFiles.Png(2, 2), $"{tag}.png", "third");
        await client.UploadAsync(TestFiles.Png(2, 2), "unrelated.png", "unrelated");

        var page = await ListAsync($"search={tag}");
        Assert.Equal(3, page.Count);
        Assert.Equal(new[] { byName.Id, byAlt.Id, byTitle.Id }, page.Results.Select(r => r.Id));
    }

    [Fact]
    public async Task List_SearchTreatsWildcardsLiterally()
    {
        var tag = Unique("w");
        var client = await App.ClientAsync();
        await client.UploadAsync(TestFiles.Png(2, 2), "a.png", $"{tag} 100% done");
        await client.UploadAsync(TestFiles.Png(2, 2), "b.png", $"{tag} 1000 done");
        var page = await ListAsync($"search={Uri.EscapeDataString("0% d")}&content_type=image/png");
        Assert.Contains(page.Results, r => r.Title == $"{tag} 100% done");
        Assert.DoesNotContain(page.Results, r => r.Title == $"{tag} 1000 done");
    }

    [Fact]
    public async Task List_FiltersByExactTypeAndByFamily()
    {
        var tag = Unique("f");
        var client = await App.ClientAsync();
        var png = await client.UploadAsync(TestFiles.Png(2, 2), "a.png", tag);
        var jpeg = await client.UploadAsync(TestFiles.Jpeg(10, 20), "b.jpg", tag);
        var pdf = await client.UploadAsync(TestFiles.Pdf(), "c.pdf", tag);

        Assert.Equal([png.Id], (await ListAsync($"search={tag}&content_type=image/png")).Results.Select(r => r.Id));
        Assert.Equal([jpeg.Id, png.Id], (await ListAsync($"search={tag}&content_type=image/*")).Results.Select(r => r.Id));
        Assert.Equal([pdf.Id], (await ListAsync($"search={tag}&content_type=application/pdf")).Results.Select(r => r.Id));
        Assert.Equal(10, jpeg.Width);
        Assert.Equal(20, jpeg.Height);
    }

    [Fact]
    public async Task List_OrdersByEveryAllowedField()
    {
        var tag = Unique("o");
        var client = await App.ClientAsync();
        var b = await client.UploadAsync(TestFiles.Pdf().Concat(new byte[3000]).ToArray(), "b.pdf", $"{tag} b");
        var a = await client.UploadAsync(TestFiles.Pdf(), "a.pdf", $"{tag} a");
        var c = await client.UploadAsync(TestFiles.Pdf().Concat(new byte[1500]).ToArray(), "c.pdf", $"{tag} c");

        async Task<long[]> Ids(string ordering) => (await ListAsync($"search={tag}&ordering={ordering}")).Results.Select(r => r.Id).ToArray();
        Assert.Equal(new[] { b.Id, a.Id, c.Id }, await Ids("created_at"));
        Assert.Equal(new[] { c.Id, a.Id, b.Id }, await Ids("-created_at"));
        Assert.Equal(new[] { a.Id, b.Id, c.Id }, await Ids("title"));
        Assert.Equal(new[] { c.Id, b.Id, a.Id }, await Ids("-title"));
        Assert.Equal(new[] { a.Id, c.Id, b.Id }, await Ids("size"));
        Assert.Equal(new[] { b.Id, c.Id, a.Id }, await Ids("-size"));
    }

    [Fact]
    public async Task List_PagesWithCountNextAndPrevious()
    {
        var tag = Unique("p");
        var client = await App.ClientAsync();
        for (var i = 0; i < 5; i++) await client.UploadAsync(TestFiles.Png(2, 2), $"{i}.png", $"{tag} {i}");

        var first = await ListAsync($"search={tag}&page_size=2&ordering=title");
        Assert.Equal(5, first.Count);
        Assert.Equal([$"{tag} 0", $"{tag} 1"], first.Results.Select(r => r.Title));
        Assert.Null(first.Previous);
        Assert.Contains("cursor=", first.Next);
        Assert.DoesNotContain("page=", first.Next);
        Assert.Contains($"search={tag}", first.Next);
        Assert.Contains("page_size=2", first.Next);

        var second = await FollowAsync(first.Next);
        Assert.Equal(5, second.Count);
        Assert.Equal([$"{tag} 2", $"{tag} 3"], second.Results.Select(r => r.Title));
        Assert.Equal([$"{tag} 0", $"{tag} 1"], (await FollowAsync(second.Previous)).Results.Select(r => r.Title));

        var last = await FollowAsync(second.Next);
        Assert.Equal([$"{tag} 4"], last.Results.Select(r => r.Title));
        Assert.Null(last.Next);
        var back = await FollowAsync(last.Previous);
        Assert.Equal([$"{tag} 2", $"{tag} 3"], back.Results.Select(r => r.Title));
        Assert.Equal(second.Next, back.Next);
        var front = await FollowAsync(back.Previous);
        Assert.Equal([$"{tag} 0", $"{tag} 1"], front.Results.Select(r => r.Title));
        Assert.Null(front.Previous);

        // A page by number is still there for jumping; its links are cursors too.
        var jumped = await ListAsync($"search={tag}&page_size=2&ordering=title&page=2");
        Assert.Equal([$"{tag} 2", $"{tag} 3"], jumped.Results.Select(r => r.Title));
        Assert.Equal([$"{tag} 4"], (await FollowAsync(jumped.Next)).Results.Select(r => r.Title));
        Assert.Equal([$"{tag} 0", $"{tag} 1"], (await FollowAsync(jumped.Previous)).Results.Select(r => r.Title));

        var beyond = await ListAsync($"search={tag}&page_size=2&page=9");
        Assert.Empty(beyond.Results);
        Assert.Equal(5, beyond.Count);
        Assert.Contains("page=3", beyond.Previous);
    }

    [Theory]
    [InlineData("created_at")]
    [InlineData("-created_at")]
    [InlineData("title")]
    [InlineData("-title")]
    [InlineData("size")]
    [InlineData("-size")]
    public async Task List_CursorsWalkEveryOrderingBothWays_ThroughTies(string ordering)
    {
        var tag = Unique("t");
        var client = await App.ClientAsync();
        // Equal titles and equal sizes: the id breaks the ties, so no row is skipped or repeated at a page boundary.
        for (var i = 0; i < 7; i++)
            await client.UploadAsync(TestFiles.Pdf().Concat(new byte[i % 3 * 100]).ToArray(), $"{i}.pdf", $"{tag} {i % 2}");
        var all = (await ListAsync($"search={tag}&ordering={ordering}&page_size=200")).Results.Select(r => r.Id).ToList();
        Assert.Equal(7, all.Count);

        var pages = new List<List<long>>();
        var page = await ListAsync($"search={tag}&ordering={ordering}&page_size=2");
        while (true)
        {
            pages.Add(page.Results.Select(r => r.Id).ToList());
            Assert.Equal(7, page.Count);
            if (page.Next is null) break;
            page = await FollowAsync(page.Next);
        }
        Assert.Equal(all, pages.SelectMany(p => p));

        var backwards = new List<List<long>> { pages[^1] };
        while (page.Previous is not null)
        {
            page = await FollowAsync(page.Previous);
            backwards.Add(page.Results.Select(r => r.Id).ToList());
        }
        backwards.Reverse();
        Assert.Equal(pages, backwards);
    }

    [Fact]
    public async Task List_CursorPages_NeitherSkipNorRepeat_WhileMediaArriveAndLeave()
    {
        var tag = Unique("c");
        var client = await App.ClientAsync();
        var ids = new List<long>();
        for (var i = 0; i < 6; i++) ids.Add((await client.UploadAsync(TestFiles.Png(2, 2), $"{i}.png", $"{tag} {i}")).Id);
        ids.Reverse(); // newest first

        var first = await ListAsync($"search={tag}&page_size=2");
        Assert.Equal(ids[..2], first.Results.Select(r => r.Id));
        await client.UploadAsync(TestFiles.Png(2, 2), "new.png", $"{tag} new"); // lands before the first page
        using (var deleted = await client.DeleteAsync($"/api/media/{ids[3]}", Ct)) await deleted.ShouldBe(HttpStatusCode.NoContent);

        var second = await FollowAsync(first.Next);
        Assert.Equal([ids[2], ids[4]], second.Results.Select(r => r.Id));
        Assert.Equal(6, second.Count);
        var third = await FollowAsync(second.Next);
        Assert.Equal([ids[5]], third.Results.Select(r => r.Id));
        Assert.Null(third.Next);
    }

    [Fact]
    public async Task List_CursorFromAnotherQuery_OrTampered_Returns400NamingIt()
    {
        var tag = Unique("b");
        var client = await App.ClientAsync();
        for (var i = 0; i < 3; i++) await client.UploadAsync(TestFiles.Png(2, 2), $"{i}.png", $"{tag} {i}");
        var next = (await ListAsync($"search={tag}&page_size=1&ordering=title")).Next!;
        var cursor = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(next).Query)["cursor"].ToString();

        foreach (var query in new[]
        {
            "cursor=not-a-cursor", "cursor=", $"cursor={cursor}&page=2", $"cursor={cursor}&ordering=size",
            $"cursor={cursor[..^1]}!", $"cursor={System.Buffers.Text.Base64Url.EncodeToString("1|9|a|1|x"u8)}",
            $"cursor={System.Buffers.Text.Base64Url.EncodeToString("1|0|a|1|not-ticks"u8)}",
        })
        {
            using var response = await App.CreateClient().GetAsync($"/api/media?{query}", Ct);
            var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("cursor", out _), $"{query}: {problem}");
        }
        // The same cursor without a conflicting ordering carries its own.
        Assert.Equal([$"{tag} 1"], (await ListAsync($"search={tag}&page_size=1&cursor={cursor}")).Results.Select(r => r.Title));
    }

    [Fact]
    public async Task List_SearchFoldsCaseBeyondAscii_AndTakesQuotesAndShortTermsLiterally()
    {
        var tag = Unique("u");
        var client = await App.ClientAsync();
        var umlaut = await client.UploadAsync(TestFiles.Png(2, 2), "a.png", $"{tag} ÄRGER ÜBER STRAẞEN");
        var quoted = await client.UploadAsync(TestFiles.Png(2, 2), "b.png", $"{tag} say \"hi\" now");
        var accent = await client.UploadAsync(TestFiles.Png(2, 2), "café.png", tag);

        Assert.Equal([umlaut.Id], (await ListAsync($"search={Uri.EscapeDataString($"{tag} ärger über")}")).Results.Select(r => r.Id));
        Assert.Equal([quoted.Id], (await ListAsync($"search={Uri.EscapeDataString($"{tag} say \"hi\"")}")).Results.Select(r => r.Id));
        Assert.Equal([accent.Id], (await ListAsync($"search={Uri.EscapeDataString("CAFÉ.PNG")}")).Results.Select(r => r.Id));
        Assert.Contains(umlaut.Id, (await ListAsync($"search={Uri.EscapeDataString("ä")}&page_size=200")).Results.Select(r => r.Id));
        Assert.Contains(quoted.Id, (await ListAsync($"search={Uri.EscapeDataString("\"h")}&page_size=200")).Results.Select(r => r.Id));
        Assert.Empty((await ListAsync($"search={Uri.EscapeDataString($"{tag}\"")}")).Results);
    }

    [Fact]
    public async Task List_Search_GivesTheSameRows_PageByPage_AsInOnePage()
    {
        // Small pages over many matches and one large page are answered by different plans on SQLite
        // (walking the ordering's index or sorting the index's matches); the rows must be the same.
        var tag = Unique("m");
        var client = await App.ClientAsync();
        for (var i = 0; i < 24; i++)
            await client.UploadAsync(TestFiles.Png(2, 2), $"{i}.png", i % 4 == 0 ? $"{tag} {i}" : $"other {i}", i % 4 == 1 ? $"alt {tag.ToUpperInvariant()}" : "");
        var all = await ListAsync($"search={tag}&page_size=200&ordering=title");
        Assert.Equal(12, all.Count);

        var walked = new List<long>();
        var page = await ListAsync($"search={tag}&page_size=1&ordering=title");
        while (true)
        {
            walked.AddRange(page.Results.Select(r => r.Id));
            Assert.Equal(12, page.Count);
            if (page.Next is null) break;
            page = await FollowAsync(page.Next);
        }
        Assert.Equal(all.Results.Select(r => r.Id), walked);
        Assert.Equal(all.Results.Where(r => r.ContentType == "image/png").Select(r => r.Id),
            (await ListAsync($"search={tag}&page_size=200&ordering=title&content_type=image/png")).Results.Select(r => r.Id));
    }

    [Fact]
    public async Task List_CountFollowsUploadsTypeChangingReplacesAndDeletes_WithoutCountingRows()
    {
        var client = await App.ClientAsync();
        async Task<(int All, int Png, int Images, int Jpeg)> Counts() => (
            (await ListAsync("page_size=1")).Count, (await ListAsync("page_size=1&content_type=image/png")).Count,
            (await ListAsync("page_size=1&content_type=image/*")).Count, (await ListAsync("page_size=1&content_type=image/jpeg")).Count);

        var before = await Counts();
        var media = await client.UploadAsync(TestFiles.Png(2, 2));
        Assert.Equal((before.All + 1, before.Png + 1, before.Images + 1, before.Jpeg), await Counts());
        using (var replaced = await client.PutAsync($"/api/media/{media.Id}/file", TestFiles.Form(TestFiles.Jpeg(4, 4), "x.jpg"), Ct))
            await replaced.ShouldBe(HttpStatusCode.OK);
        Assert.Equal((before.All + 1, before.Png, before.Images + 1, before.Jpeg + 1), await Counts());
        using (var deleted = await client.DeleteAsync($"/api/media/{media.Id}", Ct)) await deleted.ShouldBe(HttpStatusCode.NoContent);
        Assert.Equal(before, await Counts());

        var page = await ListAsync("page_size=1");
        Assert.True(page.CountExact);
        Assert.Equal(await App.WithDbAsync(db => db.Media.CountAsync()), page.Count);
    }

    [Fact]
    public async Task List_DefaultsToFiftyPerPage()
    {
        var page = await ListAsync("");
        Assert.True(page.Results.Count <= MediaEndpoints.DefaultPageSize);
        using var response = await App.CreateClient().GetAsync("/api/media", Ct);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=abc", "page")]
    [InlineData("page_size=201", "page_size")]
    [InlineData("page_size=0", "page_size")]
    [InlineData("ordering=name", "ordering")]
    [InlineData("content_type=png", "content_type")]
    [InlineData("content_type=*/*x", "content_type")]
    [InlineData("search=a%0Ab", "search")]
    public async Task List_InvalidParameter_Returns400NamingIt(string query, string field)
    {
        using var response = await App.CreateClient().GetAsync($"/api/media?{query}", Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    private Task<MediaListResponse> FollowAsync(string? link)
    {
        Assert.NotNull(link);
        return ListAsync(new Uri(link).Query.TrimStart('?'));
    }

    private async Task<MediaListResponse> ListAsync(string query)
    {
        using var response = await App.CreateClient().GetAsync($"/api/media?{query}", Ct);
        await response.ShouldBe(HttpStatusCode.OK);
        return await response.ReadAsync<MediaListResponse>();
    }
}
