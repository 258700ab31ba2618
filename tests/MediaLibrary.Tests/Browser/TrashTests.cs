using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using MediaLibrary.Auth;
using MediaLibrary.Delivery;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MediaLibrary.Tests.Browser;

/// <summary>The service with a trash (MEDIALIB_TRASH_DAYS=30, the default a newcomer runs): its page, in Chromium.</summary>
public sealed class TrashFixture : BrowserFixture
{
    protected override Task<Dictionary<string, string?>> MoreSettingsAsync() =>
        Task.FromResult(new Dictionary<string, string?> { ["MEDIALIB_TRASH_DAYS"] = "30" });
}

public sealed class TrashTests(TrashFixture app) : IClassFixture<TrashFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("n")[..6];

    private static ILocator Card(IPage page, string title) =>
        page.Locator(".card").Filter(new LocatorFilterOptions { Has = page.Locator("h3.title", new() { HasTextRegex = new Regex("^" + Regex.Escape(title) + "$") }) });

    private static ILocator InTrash(IPage page, string title) =>
        page.Locator(".trash-item").Filter(new LocatorFilterOptions { Has = page.Locator("h3", new() { HasTextRegex = new Regex("^" + Regex.Escape(title) + "$") }) });

    private async Task<HttpClient> ApiAsync()
    {
        var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        using var token = await http.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = BrowserFixture.Password }, Ct);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await token.ReadAsync<TokenResponse>()).AccessToken);
        return http;
    }

    private static async Task<HttpStatusCode> StatusOfAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(HttpExtensions.PathOf(url), Ct);
        return response.StatusCode;
    }

    [Fact]
    public async Task Delete_MovesToTheTrash_WhereAnEditorRestoresIt_DeletesItForGood_OrEmptiesIt_AndTheDetailsShowItsHistory()
    {
        using var http = await ApiAsync();
        var (kept, purged, emptied) = (Unique("kept"), Unique("purged"), Unique("emptied"));
        var keptMedia = await http.UploadAsync(TestFiles.Png(60, 40, 30, 120, 200), "kept.png", kept);
        var purgedMedia = await http.UploadAsync(TestFiles.Png(60, 40, 200, 120, 30), "purged.png", purged);
        var emptiedMedia = await http.UploadAsync(TestFiles.Png(60, 40, 90, 200, 90), "emptied.png", emptied);

        var page = await app.NewPageAsync();
        await EditorPageTests.SignInAsync(page);
        var dialog = page.Locator("#delete-dialog");
        foreach (var title in new[] { kept, purged, emptied })
        {
            await Card(page, title).GetByRole(AriaRole.Button, new() { Name = $"Delete {title}" }).ClickAsync();
            await Assertions.Expect(dialog).ToContainTextAsync($"Move “{title}” to the trash?");
            await Assertions.Expect(dialog).ToContainTextAsync("restored from the trash for 30 days");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Move to trash" }).ClickAsync();
            await Assertions.Expect(Card(page, title)).ToHaveCountAsync(0);
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Moved “{title}” to the trash.");
        }
        Assert.Equal(HttpStatusCode.NotFound, await StatusOfAsync(http, keptMedia.Url));

        await page.GetByRole(AriaRole.Button, new() { Name = "Trash", Exact = true }).ClickAsync();
        var trash = page.Locator("#trash-dialog");
        await Assertions.Expect(InTrash(page, kept)).ToBeVisibleAsync();
        await Assertions.Expect(InTrash(page, purged)).ToBeVisibleAsync();
        await Assertions.Expect(trash.Locator("#trash-count")).ToContainTextAsync("in the trash");
        // Its real preview, fetched with the token while its file URL answers 404: a blob, decoded.
        var preview = InTrash(page, kept).Locator("img.preview");
        await Assertions.Expect(preview).ToHaveAttributeAsync("src", new Regex("^blob:"));
        await page.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await preview.ElementHandleAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, "trash.png") });

        // Restore: back in the grid under the same URL, serving again.
        await InTrash(page, kept).GetByRole(AriaRole.Button, new() { Name = $"Restore {kept}" }).ClickAsync();
        await Assertions.Expect(InTrash(page, kept)).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Restored “{kept}”.");
        Assert.Equal(HttpStatusCode.OK, await StatusOfAsync(http, keptMedia.Url));

        // Delete for good: the button asks once more on itself.
        var purge = InTrash(page, purged).GetByRole(AriaRole.Button, new() { Name = $"Delete permanently {purged}" });
        await purge.ClickAsync();
        await Assertions.Expect(purge).ToHaveTextAsync("Delete for good?");
        await Assertions.Expect(InTrash(page, purged)).ToBeVisibleAsync();
        await purge.ClickAsync();
        await Assertions.Expect(InTrash(page, purged)).ToHaveCountAsync(0);
        using (var gone = await http.PostAsync($"/api/media/{purgedMedia.Id}/restore", null, Ct)) Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);

        // Empty (the admin signed in): everything left goes for good.
        var empty = trash.GetByRole(AriaRole.Button, new() { Name = "Empty trash" });
        await empty.ClickAsync();
        await trash.GetByRole(AriaRole.Button, new() { Name = "Delete everything in the trash for good?" }).ClickAsync();
        await Assertions.Expect(trash.Locator("#trash-count")).ToHaveTextAsync("The trash is empty.");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Emptied the trash");
        using (var gone = await http.PostAsync($"/api/media/{emptiedMedia.Id}/restore", null, Ct)) Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);

        await trash.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Assertions.Expect(Card(page, kept)).ToBeVisibleAsync();

        // Its history, in the details: each change with who made it, newest first.
        await Card(page, kept).GetByRole(AriaRole.Button, new() { Name = $"Details {kept}" }).ClickAsync();
        var history = page.GetByRole(AriaRole.List, new() { Name = "Changes to this media, newest first" });
        await Assertions.Expect(history.Locator("li")).ToHaveCountAsync(3);
        await Assertions.Expect(history.Locator("li").Nth(0)).ToContainTextAsync("Restored by admin");
        await Assertions.Expect(history.Locator("li").Nth(1)).ToContainTextAsync("Moved to the trash by admin");
        await Assertions.Expect(history.Locator("li").Nth(2)).ToContainTextAsync("Uploaded by admin");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, "history.png") });
        var restored = await http.GetFromJsonAsync<MediaResponse>($"/api/media/{keptMedia.Id}", HttpExtensions.Json, Ct);
        Assert.Equal((keptMedia.Url, keptMedia.Version), (restored!.Url, restored.Version));
    }
}
