using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MediaLibrary.Tests.Browser;

/// <summary>
/// The service with single sign-on against a real OpenID provider on its own origin, and password sign-in turned off.
/// Members of media-admins are admins, of media-editors editors; nobody else gets a role.
/// </summary>
public sealed class SingleSignOnFixture : BrowserFixture
{
    public OidcProvider Provider { get; private set; } = null!;

    protected override async Task<Dictionary<string, string?>> MoreSettingsAsync()
    {
        Provider = await OidcProvider.StartAsync(BaseUrl + "/api/auth/sso/callback", new Dictionary<string, object>
        {
            ["alice"] = new { groups = new[] { "staff", "media-admins" }, name = "Alice Admin" },
            // A provider's account that calls itself "admin" is not the local admin.
            ["bob"] = new { groups = new[] { "media-editors" }, preferred_username = "admin" },
        });
        return new Dictionary<string, string?>
        {
            ["MEDIALIB_OIDC_AUTHORITY"] = Provider.Issuer,
            ["MEDIALIB_OIDC_CLIENT_ID"] = OidcProvider.ClientId,
            ["MEDIALIB_OIDC_CLIENT_SECRET"] = OidcProvider.ClientSecret,
            ["MEDIALIB_OIDC_NAME"] = "Example Corp",
            ["MEDIALIB_OIDC_SCOPES"] = "openid profile email groups",
            ["MEDIALIB_OIDC_ADMIN_VALUES"] = "media-admins",
            ["MEDIALIB_OIDC_EDITOR_VALUES"] = "media-editors",
            ["MEDIALIB_OIDC_REQUIRE_HTTPS"] = "false",
            ["MEDIALIB_PASSWORD_SIGNIN"] = "false",
        };
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Provider is not null) await Provider.DisposeAsync();
    }
}

public sealed class SingleSignOnTests(SingleSignOnFixture app) : IClassFixture<SingleSignOnFixture>
{
    private static async Task SignInAtProviderAsync(IPage page, string login)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Example Corp" }).ClickAsync();
        // The provider's own pages: any password, then consent to the scopes.
        await page.Locator("input[name=login]").FillAsync(login);
        await page.Locator("input[name=password]").FillAsync("any password at all");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign-in" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
    }

    private async Task<string> TokenOfAsync(IPage page)
    {
        var session = await page.EvaluateAsync<string>("sessionStorage.getItem('medialibrary.session')");
        return JsonDocument.Parse(session).RootElement.GetProperty("token").GetString()!;
    }

    private HttpClient Api(string? token = null)
    {
        var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private async Task<List<JsonElement>> UsersAsync(string adminToken)
    {
        using var http = Api(adminToken);
        return [.. (await http.GetFromJsonAsync<JsonElement>("/api/admin/users", TestContext.Current.CancellationToken)).EnumerateArray()];
    }

    [Fact]
    public async Task AnAdminGroupMember_SignsInThroughTheProvider_IsCreatedOnce_AndComesBackAsTheSameUser()
    {
        var page = await app.NewPageAsync();
        // Password sign-in is off: the page offers only the provider, and the token endpoint refuses passwords.
        await Assertions.Expect(page.Locator("#password-sign-in")).ToHaveCountAsync(0);
        await SignInAtProviderAsync(page, "alice");

        await Assertions.Expect(page.Locator("#signed-in")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync("alice");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Webhooks" })).ToBeVisibleAsync(); // admin
        Assert.DoesNotContain("sso", page.Url, StringComparison.Ordinal); // the address forgets the hand-off
        var token = await TokenOfAsync(page);

        // The token is a sign-in like any other: it uploads, and the upload shows on the page.
        var title = "sso" + Guid.NewGuid().ToString("n")[..6];
        await page.Locator("#file-input").SetInputFilesAsync(new FilePayload { Name = title + ".png", MimeType = "image/png", Buffer = TestFiles.Png(8, 6) });
        await Assertions.Expect(page.Locator(".card h3.title", new() { HasText = title })).ToBeVisibleAsync();

        // The hand-off is once: the cookie is gone, and a second exchange is refused.
        var again = await page.EvaluateAsync<int>("fetch('/api/auth/sso/token', { method: 'POST' }).then(r => r.status)");
        Assert.Equal(401, again);

        // Signed out and in again (the provider remembers the browser): the same user, not a second one.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Example Corp" }).ClickAsync();
        var consent = page.GetByRole(AriaRole.Button, new() { Name = "Continue" });
        var signedIn = page.Locator("#signed-in");
        await Assertions.Expect(consent.Or(signedIn)).ToBeVisibleAsync(new() { Timeout = 20_000 });
        if (await consent.IsVisibleAsync()) await consent.ClickAsync();
        await Assertions.Expect(signedIn).ToBeVisibleAsync(new() { Timeout = 20_000 });
        var users = await UsersAsync(await TokenOfAsync(page));
        var alice = Assert.Single(users, u => u.GetProperty("username").GetString() == "alice");
        Assert.Equal("admin", alice.GetProperty("role").GetString());
        Assert.True(alice.GetProperty("single_sign_on").GetBoolean());
        Assert.False(alice.GetProperty("has_password").GetBoolean());
        Assert.False(Assert.Single(users, u => u.GetProperty("username").GetString() == "admin").GetProperty("single_sign_on").GetBoolean());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, "single-sign-on.png"), FullPage = true });

        // The first token ended with its sign-out; the password endpoint is closed.
        using var old = Api(token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await old.GetAsync("/api/admin/users", TestContext.Current.CancellationToken)).StatusCode);
        using var anonymous = Api();
        var refused = await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = BrowserFixture.Password },
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Example Corp", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEditorWhoseProviderNameIsTaken_GetsAFreeName_AndNoAdminTools()
    {
        var page = await app.NewPageAsync();
        await SignInAtProviderAsync(page, "bob");
        await Assertions.Expect(page.Locator("#signed-in")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync("admin-2");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Webhooks" })).ToBeHiddenAsync();
        using var http = Api(await TokenOfAsync(page));
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/api/admin/users", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task AnAccountWithoutAListedGroup_IsRefused_WithAReason_AndNoUserIsMade()
    {
        var page = await app.NewPageAsync();
        await SignInAtProviderAsync(page, "mallory");
        await Assertions.Expect(page.Locator("#session-message")).ToContainTextAsync("not given a role", new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("#signed-in")).ToBeHiddenAsync();
        Assert.DoesNotContain("sso-error", page.Url, StringComparison.Ordinal);

        var admin = await app.Browser.NewContextAsync();
        var adminPage = await admin.NewPageAsync();
        await adminPage.GotoAsync(app.BaseUrl + "/");
        await SignInAtProviderAsync(adminPage, "alice");
        await Assertions.Expect(adminPage.Locator("#signed-in")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        Assert.DoesNotContain(await UsersAsync(await TokenOfAsync(adminPage)), u => u.GetProperty("username").GetString() == "mallory");
    }
}
