using System.Net.Http.Json;
using System.Net;
using MediaLibrary.Tests.Infrastructure;

namespace MediaLibrary.Tests.Api;

/// <summary>The editors' page as HTML: what a browser without JavaScript gets, escaping, headers, pages.</summary>
public sealed class EditorPageHtmlTests(MediaLibraryApp app) : IClassFixture<MediaLibraryApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Page_EscapesEverythingEditorsTyped_AndLocksScriptsToItsOwnFiles()
    {
        var client = await app.ClientAsync();
        await client.UploadAsync(TestFiles.Png(4, 4), "x.png", title: "<script>alert(1)</script>", altText: "\" onerror=\"alert(2)");
        using var response = await app.CreateClient().GetAsync("/", Ct);
        await response.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("\" onerror=\"", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("<script type=\"module\" src=\"/app/editor.js\"></script>", html);
        using var script = await app.CreateClient().GetAsync("/app/editor.js", Ct);
        await script.ShouldBe(HttpStatusCode.OK);
        Assert.Contains("from \"../client/media.js\"", await script.Content.ReadAsStringAsync(Ct)); // one client for page and websites
    }

    [Fact]
    public async Task Pages_SearchAndOrdering_AreInTheQueryString_AndThePartialIsJustTheResults()
    {
        var client = await app.ClientAsync();
        var tag = "pg" + Guid.NewGuid().ToString("n")[..8];
        for (var i = 0; i < 26; i++) await client.UploadAsync(TestFiles.Png(2, 2), $"{tag}-{i:00}.png", title: $"{tag} {i:00}");

        var first = await app.CreateClient().GetStringAsync($"/?search={tag}&ordering=title", Ct);
        Assert.Contains("26 items matching “" + tag + "”", first);
        Assert.Contains($"<h3 class=\"title\">{tag} 00</h3>", first);
        Assert.DoesNotContain($"<h3 class=\"title\">{tag} 24</h3>", first);
        Assert.Contains("Page 1 of 2", first);
        Assert.Contains($"href=\"/?search={tag}&amp;ordering=title&amp;page=2\" rel=\"next\"", first);

        var second = await app.CreateClient().GetStringAsync($"/?search={tag}&ordering=title&page=2&partial=results", Ct);
        Assert.StartsWith("<div class=\"library\"", second); // the folders and the cards, without the document around them
        Assert.DoesNotContain("<html", second);
        Assert.Contains($"<h3 class=\"title\">{tag} 25</h3>", second);
        Assert.Contains("rel=\"prev\"", second);

        var bogus = await app.CreateClient().GetAsync("/?page=-3&ordering=drop%20table&type=x&folder=-1&tag=a,b", Ct);
        await bogus.ShouldBe(HttpStatusCode.OK); // odd parameters fall back to the defaults
    }

    [Fact]
    public async Task AFolderAndATag_AreServerRendered_WithABreadcrumb_ChipsAndLinksThatKeepTheView()
    {
        var client = await app.ClientAsync();
        var name = "Shop " + Guid.NewGuid().ToString("n")[..6];
        using var created = await client.PostAsJsonAsync("/api/folders", new { name }, HttpExtensions.Json, Ct);
        var folder = await created.ReadAsync<MediaLibrary.Api.FolderResponse>();
        using var child = await client.PostAsJsonAsync("/api/folders", new { name = "Shoes", parent_id = folder.Id }, HttpExtensions.Json, Ct);
        var tag = "sale" + Guid.NewGuid().ToString("n")[..6];
        var form = TestFiles.Form(TestFiles.Png(2, 2), "boot.png", "boot");
        form.Add(new StringContent(folder.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), "folder_id");
        form.Add(new StringContent(tag), "tags");
        using (var upload = await client.PostAsync("/api/media", form, Ct)) await upload.ShouldBe(HttpStatusCode.Created);
        await client.UploadAsync(TestFiles.Png(2, 2), "elsewhere.png", title: "elsewhere");

        var inFolder = await app.CreateClient().GetStringAsync($"/?folder={folder.Id}", Ct);
        Assert.Contains($"<li aria-current=\"page\">{name}</li>", inFolder);
        Assert.Contains($"data-folder-id=\"{folder.Id}\" data-folder-name=\"{name}\"", inFolder);
        Assert.Matches("<a class=\"folder\" href=\"/[?]folder=[0-9]+\" data-folder-id=\"[0-9]+\">Shoes</a>", inFolder);
        Assert.Contains("<h3 class=\"title\">boot</h3>", inFolder);
        Assert.DoesNotContain("<h3 class=\"title\">elsewhere</h3>", inFolder);
        Assert.Contains($"<a class=\"tag\" href=\"/?folder={folder.Id}&amp;tag={tag}\">{tag}</a>", inFolder);
        Assert.Matches($"<input type=\"hidden\" name=\"folder\" value=\"{folder.Id}\"", inFolder); // a search stays in the folder

        var tagged = await app.CreateClient().GetStringAsync($"/?tag={tag.ToUpperInvariant()}", Ct);
        Assert.Contains("1 item tagged", tagged);
        Assert.Contains("<h3 class=\"title\">boot</h3>", tagged);
        var nobody = await app.CreateClient().GetStringAsync("/?tag=nobody-has-this-tag", Ct);
        Assert.Contains("Nothing matches.", nobody);
    }
}
