using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MediaLibrary.Media;
using MediaLibrary.Tests.Infrastructure;

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
        Assert.Contains("page=2", first.Next);
        Assert.Contains($"search={tag}", first.Next);

        var second = await ListAsync(new Uri(first.Next!).Query.TrimStart('?'));
        Assert.Equal([$"{tag} 2", $"{tag} 3"], second.Results.Select(r => r.Title));
        Assert.Contains("page=1", second.Previous);

        var last = await ListAsync(new Uri(second.Next!).Query.TrimStart('?'));
        Assert.Equal([$"{tag} 4"], last.Results.Select(r => r.Title));
        Assert.Null(last.Next);

        var beyond = await ListAsync($"search={tag}&page_size=2&page=9");
        Assert.Empty(beyond.Results);
        Assert.Equal(5, beyond.Count);
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
    public async Task List_InvalidParameter_Returns400NamingIt(string query, string field)
    {
        using var response = await App.CreateClient().GetAsync($"/api/media?{query}", Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    private async Task<MediaListResponse> ListAsync(string query)
    {
        using var response = await App.CreateClient().GetAsync($"/api/media?{query}", Ct);
        await response.ShouldBe(HttpStatusCode.OK);
        return await response.ReadAsync<MediaListResponse>();
    }
}
