using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MediaLibrary.Tests.Browser;

/// <summary>
/// Folders, tags, selection and bulk actions on the editors' page, in Chromium against the real executable. What the
/// page did is checked through the API as well as on the screen.
/// </summary>
public sealed class OrganiseTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("n")[..6];

    private static ILocator Card(IPage page, string title) =>
        page.Locator(".card").Filter(new LocatorFilterOptions { Has = page.Locator("h3.title", new() { HasTextRegex = new Regex("^" + Regex.Escape(title) + "$") }) });

    private static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, name + ".png"), FullPage = true });

    private static async Task UploadAsync(IPage page, params string[] names)
    {
        await page.Locator("#file-input").SetInputFilesAsync(names.Select((n, i) => new FilePayload
        {
            Name = n + ".png", MimeType = "application/octet-stream", Buffer = TestFiles.Png(40 + i, 30, (byte)(20 * i), 90, 160),
        }));
        foreach (var name in names) await Assertions.Expect(Card(page, name)).ToBeVisibleAsync();
    }

    private async Task<JsonElement> ApiAsync(string path)
    {
        using var http = new HttpClient();
        return await http.GetFromJsonAsync<JsonElement>(app.BaseUrl + path, Ct);
    }

    private async Task<long?> FolderIdOfAsync(IPage page, string title)
    {
        var id = await Card(page, title).GetAttributeAsync("data-id");
        var media = await ApiAsync($"/api/media/{id}");
        return media.GetProperty("folder_id").ValueKind == JsonValueKind.Null ? null : media.GetProperty("folder_id").GetInt64();
    }

    private static async Task NewFolderAsync(IPage page, string name)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "New folder" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByLabel("Name").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.Locator(".folder-list a.folder", new() { HasText = name })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Folders_CreateOpenWithABreadcrumb_UploadIntoTheOneShown_DragMediaOntoAnother_AndRename()
    {
        var page = await app.NewPageAsync();
        await EditorPageTests.SignInAsync(page);
        var campaigns = Unique("Campaigns ");
        var archive = Unique("Archive ");
        await NewFolderAsync(page, campaigns);
        await NewFolderAsync(page, archive);

        await page.Locator(".folder-list a.folder", new() { HasText = campaigns }).ClickAsync();
        var crumbs = page.GetByRole(AriaRole.Navigation, new() { Name = "Breadcrumb" });
        await Assertions.Expect(crumbs).ToHaveTextAsync(new Regex($"All media.*{Regex.Escape(campaigns)}"));
        await Assertions.Expect(page.Locator("#upload-target")).ToHaveTextAsync($"into “{campaigns}”");
        Assert.Contains("folder=", page.Url);
        var banner = Unique("banner");
        await UploadAsync(page, banner);
        var campaignsId = await FolderIdOfAsync(page, banner);
        Assert.NotNull(campaignsId);

        // A folder inside it, then back up by the breadcrumb; a search stays inside the folder shown.
        await NewFolderAsync(page, "Spring");
        await page.GetByLabel("Search").FillAsync(banner);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Assertions.Expect(page.Locator(".card")).ToHaveCountAsync(1);
        Assert.Contains($"folder={campaignsId}", page.Url);
        await crumbs.GetByRole(AriaRole.Link, new() { Name = "All media" }).ClickAsync();
        await Assertions.Expect(crumbs).ToHaveTextAsync("All media");

        // Drag the card onto the other folder in the sidebar: it moves there (and keeps its URL).
        var url = await Card(page, banner).GetAttributeAsync("data-url");
        // The sidebar of the view shown (re-rendered after the breadcrumb's navigation) holds the target before the drag starts.
        var target = page.Locator(".folder-list a.folder", new() { HasText = archive });
        await Assertions.Expect(target).ToBeVisibleAsync();
        await Assertions.Expect(Card(page, banner).GetByRole(AriaRole.Img)).ToHaveJSPropertyAsync("complete", true);
        await Card(page, banner).DragToAsync(target);
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync($"Moved to “{archive}”: 1 of 1");
        var archiveId = await FolderIdOfAsync(page, banner);
        Assert.NotEqual(campaignsId, archiveId);
        Assert.Equal(archive, (await ApiAsync($"/api/folders/{archiveId}")).GetProperty("name").GetString());
        Assert.Equal(url, await Card(page, banner).GetAttributeAsync("data-url"));

        await page.Locator(".folder-list a.folder", new() { HasText = archive }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Rename “{archive}”" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByLabel("Name").FillAsync(archive + " 2027");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(crumbs).ToContainTextAsync(archive + " 2027");
        await ShotAsync(page, "folders");
    }

    [Fact]
    public async Task TheDetailPane_ShowsEveryField_AndEditsTagsAsChipsWithAutocomplete_AndAChipFiltersTheLibrary()
    {
        var page = await app.NewPageAsync();
        await EditorPageTests.SignInAsync(page);
        var (first, second) = (Unique("pier"), Unique("dune"));
        await UploadAsync(page, first, second);
        var tag = Unique("Coast");

        await Card(page, first).GetByRole(AriaRole.Button, new() { Name = $"Details {first}" }).ClickAsync();
        var pane = page.GetByRole(AriaRole.Complementary, new() { Name = $"Details of “{first}”" });
        await Assertions.Expect(pane).ToBeVisibleAsync();
        foreach (var field in new[] { "Title", "Alt text", "File name", "Type", "Size", "Dimensions", "Version", "URL", "Folder", "Created", "Updated", "ID", "SHA-256" })
            await Assertions.Expect(pane.Locator("dt", new() { HasTextRegex = new Regex($"^{Regex.Escape(field)}$") })).ToHaveCountAsync(1);
        await Assertions.Expect(pane.Locator("dd").Nth(2)).ToHaveTextAsync(first + ".png");
        await Assertions.Expect(pane.Locator("dd").Nth(5)).ToHaveTextAsync("40 × 30");

        await pane.GetByLabel("Add a tag").FillAsync(tag);
        await pane.GetByLabel("Add a tag").PressAsync("Enter");
        await Assertions.Expect(pane.GetByRole(AriaRole.List, new() { Name = "Tags of this media" })).ToHaveTextAsync(new Regex(Regex.Escape(tag)));
        await Assertions.Expect(Card(page, first).Locator(".tags")).ToHaveTextAsync(tag);
        await pane.GetByRole(AriaRole.Button, new() { Name = "Close the details" }).ClickAsync();
        await Assertions.Expect(pane).ToBeHiddenAsync();

        // The second media: typing the tag's start in another case suggests it as it was first spelled.
        await Card(page, second).GetByRole(AriaRole.Button, new() { Name = $"Details {second}" }).ClickAsync();
        // The pane opens once the media, its references and its history have loaded. Typing before that lands nowhere:
        // key presses (unlike Fill) do not wait for the field to be visible, and a hidden field takes no focus.
        await Assertions.Expect(page.GetByRole(AriaRole.Complementary, new() { Name = $"Details of “{second}”" })).ToBeVisibleAsync();
        var field2 = page.GetByLabel("Add a tag");
        await field2.FocusAsync();
        await field2.PressSequentiallyAsync(tag[..6].ToLowerInvariant());
        await Assertions.Expect(field2).ToHaveValueAsync(tag[..6].ToLowerInvariant());
        // The suggestion's request waits behind the grid's thumbnails for one of the browser's six connections; a slow
        // machine still rendering them took longer than the default 5 s once.
        await Assertions.Expect(page.Locator("#tag-options option")).ToHaveAttributeAsync("value", tag, new() { Timeout = 20_000 });
        await field2.FillAsync(tag.ToLowerInvariant());
        await field2.PressAsync("Enter");
        await Assertions.Expect(Card(page, second).Locator(".tags")).ToHaveTextAsync(tag);
        Assert.Equal(2, (await ApiAsync($"/api/tags?prefix={tag}")).GetProperty("results")[0].GetProperty("count").GetInt32());

        // A chip on a card filters by its tag; × on a chip in the pane removes it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Close the details" }).ClickAsync();
        await Card(page, first).Locator("a.tag").ClickAsync();
        await Assertions.Expect(page.Locator(".card")).ToHaveCountAsync(2);
        Assert.Contains("tag=", page.Url);
        await Card(page, second).GetByRole(AriaRole.Button, new() { Name = $"Details {second}" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Remove the tag {tag}" }).ClickAsync();
        await Assertions.Expect(page.Locator(".card")).ToHaveCountAsync(1);
        await ShotAsync(page, "details");
    }

    [Fact]
    public async Task Selection_ByClickShiftClickKeyboardAndSelectAll_DrivesTheBulkBar_WhichTagsMovesAndDeletes()
    {
        var page = await app.NewPageAsync();
        await EditorPageTests.SignInAsync(page);
        var folder = Unique("Bulk ");
        await NewFolderAsync(page, folder);
        var prefix = Unique("sel");
        var names = Enumerable.Range(0, 5).Select(i => $"{prefix}-{i}").ToArray();
        await UploadAsync(page, names);
        await page.GetByLabel("Search").FillAsync(prefix);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Assertions.Expect(page.Locator(".card")).ToHaveCountAsync(5);
        var bar = page.GetByRole(AriaRole.Region, new() { Name = "Selected media" });
        await Assertions.Expect(bar).ToBeHiddenAsync();

        // Newest first: names[4] … names[0]. A click, then a shift-click four cards on: a range of four.
        var cards = page.Locator(".card");
        await cards.Nth(0).GetByRole(AriaRole.Checkbox).ClickAsync();
        await cards.Nth(3).GetByRole(AriaRole.Checkbox).ClickAsync(new() { Modifiers = [KeyboardModifier.Shift] });
        await Assertions.Expect(bar).ToContainTextAsync("4 selected");
        await Assertions.Expect(cards.Nth(4)).Not.ToHaveAttributeAsync("aria-selected", "true");

        // The keyboard: Escape clears; arrows move; Space selects; Ctrl+A selects all on the page.
        await cards.Nth(0).FocusAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(bar).ToBeHiddenAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(cards.Nth(1)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(cards.Nth(1)).ToHaveAttributeAsync("aria-selected", "true");
        await Assertions.Expect(bar).ToContainTextAsync("1 selected");
        await Assertions.Expect(cards.Nth(1)).ToBeFocusedAsync(); // a refresh landing meanwhile keeps the focus on its card
        await page.Keyboard.PressAsync("Control+a");
        await Assertions.Expect(bar).ToContainTextAsync("5 selected");
        await Assertions.Expect(page.GetByLabel("Select all on this page")).ToBeCheckedAsync();

        // Tag all five, move two, delete one.
        var tag = Unique("batch");
        await bar.GetByLabel("Tag").FillAsync(tag);
        await bar.GetByRole(AriaRole.Button, new() { Name = "Add tag" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync($"Tagged “{tag}”: 5 of 5");
        Assert.Equal(5, (await ApiAsync($"/api/media?tag={tag}")).GetProperty("count").GetInt32());
        await ShotAsync(page, "bulk");

        await Assertions.Expect(bar).ToBeHiddenAsync();
        await cards.Nth(0).GetByRole(AriaRole.Checkbox).CheckAsync();
        await cards.Nth(1).GetByRole(AriaRole.Checkbox).CheckAsync();
        await bar.GetByLabel("Move to").SelectOptionAsync(new SelectOptionValue { Label = folder });
        await bar.GetByRole(AriaRole.Button, new() { Name = "Move", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("Moved: 2 of 2");
        var folderId = await page.Locator(".folder-list a.folder", new() { HasText = folder }).GetAttributeAsync("data-folder-id");
        Assert.Equal(2, (await ApiAsync($"/api/media?folder={folderId}")).GetProperty("count").GetInt32());

        await Assertions.Expect(bar).ToBeHiddenAsync(); // an action done, its selection is over
        var doomed = await cards.Nth(4).GetAttributeAsync("data-id");
        await cards.Nth(4).GetByRole(AriaRole.Checkbox).CheckAsync();
        await bar.GetByRole(AriaRole.Button, new() { Name = "Delete selected" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("Deleted: 1 of 1");
        await Assertions.Expect(page.Locator(".card")).ToHaveCountAsync(4);
        using var http = new HttpClient();
        using var gone = await http.GetAsync($"{app.BaseUrl}/api/media/{doomed}", Ct);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task TheListView_IsChosenByItsButton_AndStaysAfterAReload()
    {
        var page = await app.NewPageAsync();
        await EditorPageTests.SignInAsync(page);
        await UploadAsync(page, Unique("view"));
        await page.GetByRole(AriaRole.Button, new() { Name = "List" }).ClickAsync();
        await Assertions.Expect(page.Locator("#results")).ToHaveClassAsync(new Regex("list-view"));
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "List" })).ToHaveAttributeAsync("aria-pressed", "true");
        var box = await page.Locator(".card").First.BoundingBoxAsync();
        Assert.True(box!.Width > 600, $"a list row spans the page ({box.Width}px)");
        await ShotAsync(page, "list-view");

        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#results")).ToHaveClassAsync(new Regex("list-view"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Grid" }).ClickAsync();
        await Assertions.Expect(page.Locator("#results")).Not.ToHaveClassAsync(new Regex("list-view"));
    }

    [Fact]
    public async Task MediaInUse_ShowsWhereInItsCardAndDetails_IsFilteredOut_AndIsDeletedOnlyAfterASecondQuestion()
    {
        var page = await app.NewPageAsync();
        await EditorPageTests.SignInAsync(page);
        var word = Unique("used");
        var (hero, spare) = (word + " hero", word + " spare");
        await UploadAsync(page, hero, spare);
        var heroId = await Card(page, hero).GetAttributeAsync("data-id");

        // A website registers where it shows the hero image.
        using (var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) })
        {
            using var login = await http.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = BrowserFixture.Password }, Ct);
            var token = (await login.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("access_token").GetString();
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            using var put = await http.PutAsJsonAsync($"/api/media/{heroId}/references",
                new { key = "page:/home", label = "Home page", url = "https://example.com/" }, Ct);
            put.EnsureSuccessStatusCode();
        }

        // The filter: used nowhere shows the spare only; then back to all, where the hero's card says it is used.
        await page.GetByLabel("Search").FillAsync(word);
        await page.Locator("#filters select[name=used]").SelectOptionAsync("false");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Assertions.Expect(page.Locator(".card")).ToHaveCountAsync(1);
        await Assertions.Expect(Card(page, spare)).ToBeVisibleAsync();
        Assert.Contains("used=false", page.Url);
        await page.Locator("#filters select[name=used]").SelectOptionAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Assertions.Expect(page.Locator(".card")).ToHaveCountAsync(2);
        await Assertions.Expect(Card(page, hero).Locator(".used")).ToHaveTextAsync("Used in 1 place");

        // The details name the place, linked.
        await Card(page, hero).GetByRole(AriaRole.Button, new() { Name = $"Details {hero}" }).ClickAsync();
        var references = page.GetByRole(AriaRole.List, new() { Name = "Where this media is used" });
        await Assertions.Expect(references.GetByRole(AriaRole.Link, new() { Name = "Home page" })).ToHaveAttributeAsync("href", "https://example.com/");
        await Assertions.Expect(references).ToContainTextAsync("page:/home");
        await ShotAsync(page, "used-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Close the details" }).ClickAsync();

        // Delete: the service refuses, the dialog names the place and asks again; only "Delete anyway" deletes.
        await Card(page, hero).GetByRole(AriaRole.Button, new() { Name = $"Delete {hero}" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("Used in 1 place: Home page (page:/home)");
        await ShotAsync(page, "delete-in-use");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await new HttpClient().GetAsync($"{app.BaseUrl}/api/media/{heroId}", Ct)).StatusCode);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete anyway" }).ClickAsync();
        await Assertions.Expect(Card(page, hero)).ToHaveCountAsync(0);
        using var client = new HttpClient();
        using var gone = await client.GetAsync($"{app.BaseUrl}/api/media/{heroId}", Ct);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
    }
}
