using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MediaLibrary.Auth;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MediaLibrary.Tests.Browser;

/// <summary>The service with MEDIALIB_REQUIRE_AUTH_FOR_READS: its page, in Chromium.</summary>
public sealed class PrivateLibraryFixture : BrowserFixture
{
    protected override Task<Dictionary<string, string?>> MoreSettingsAsync() =>
        Task.FromResult(new Dictionary<string, string?> { ["MEDIALIB_REQUIRE_AUTH_FOR_READS"] = "true" });
}

public sealed class PrivateLibraryTests(PrivateLibraryFixture app) : IClassFixture<PrivateLibraryFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Thumbnails_Load_WhenReadsNeedAToken_AndStopLoadingAfterSignOut()
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        using (var token = await http.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = BrowserFixture.Password }, Ct))
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await token.ReadAsync<TokenResponse>()).AccessToken);
        var title = "private-" + Guid.NewGuid().ToString("n")[..8];
        var media = await http.UploadAsync(TestFiles.Png(64, 48), "private.png", title);

        var page = await app.NewPageAsync();
        await EditorPageTests.SignInAsync(page);
        var image = page.Locator(".card").Filter(new() { HasText = title }).Locator("img");
        await Assertions.Expect(image).ToBeVisibleAsync();
        // Loaded: the browser decoded real pixels, which it can only have fetched with the files cookie.
        Assert.True(await image.EvaluateAsync<bool>("async (img) => { await img.decode(); return img.naturalWidth > 0; }"));
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == AuthEndpoints.FilesCookie);
        Assert.Equal("/files", cookie.Path);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);

        // Without a token or the cookie, the same file is refused.
        using (var anonymous = await new HttpClient().GetAsync(media.Url, Ct))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        for (var i = 0; i < 50 && (await page.Context.CookiesAsync()).Any(c => c.Name == AuthEndpoints.FilesCookie); i++) await Task.Delay(100, Ct);
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == AuthEndpoints.FilesCookie);
        var status = await page.EvaluateAsync<int>("async (url) => (await fetch(url, { cache: 'no-store' })).status", media.Url);
        Assert.Equal(401, status);
    }
}
