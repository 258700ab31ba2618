using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MediaLibrary.Tests.Browser;

/// <summary>An admin's API keys and users on the page, in Chromium, each checked against the running service.</summary>
public sealed class AdminToolsPageTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task AnAdmin_CreatesAKey_SeesItOnce_TheKeyWorksWithinItsScope_AndRevokingItOnThePageEndsIt()
    {
        var page = await app.NewPageAsync();
        await EditorPageTests.SignInAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "API keys" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "API keys" });
        await Assertions.Expect(dialog).ToBeVisibleAsync();

        // No scope: the service's reason is shown and nothing is created.
        var name = "www backend " + Guid.NewGuid().ToString("n")[..6];
        await dialog.GetByLabel("Name").FillAsync(name);
        await dialog.GetByRole(AriaRole.Checkbox, new() { Name = "read" }).UncheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        await Assertions.Expect(dialog.Locator("#keys-error")).ToContainTextAsync("at least one scope");
        await Assertions.Expect(dialog.Locator(".key-item")).ToHaveCountAsync(0);

        await dialog.GetByRole(AriaRole.Checkbox, new() { Name = "read" }).CheckAsync();
        await dialog.GetByLabel("Expires at the end of").FillAsync(DateTime.Today.AddDays(30).ToString("yyyy-MM-dd"));
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var secret = dialog.GetByLabel("API key, shown this once");
        await Assertions.Expect(secret).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^mlk_"));
        var key = await secret.InputValueAsync();
        var item = dialog.Locator(".key-item", new() { HasText = name });
        await Assertions.Expect(item).ToContainTextAsync("read · expires");
        await Assertions.Expect(item).ToContainTextAsync("never used");
        Assert.StartsWith((await item.Locator(".meta").TextContentAsync())!.Split('…')[0], key);

        // The key reads, is refused a change (read scope only), and its use shows on the page.
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using (var read = await http.GetAsync("/api/media", TestContext.Current.CancellationToken)) Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(TestFiles.Png(2, 2)), "file", "k.png" } })
        using (var write = await http.PostAsync("/api/media", form, TestContext.Current.CancellationToken))
            Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        Assert.Equal("", await page.Locator("#key-secret-value").InputValueAsync()); // not left in the page
        await page.GetByRole(AriaRole.Button, new() { Name = "API keys" }).ClickAsync();
        await Assertions.Expect(item).ToContainTextAsync("last used");
        await Assertions.Expect(secret).ToBeHiddenAsync();

        var revoke = item.GetByRole(AriaRole.Button, new() { Name = $"Revoke {name}" });
        await revoke.ClickAsync();
        await Assertions.Expect(revoke).ToHaveTextAsync("Revoke it? Websites using it are refused"); // asks once more on itself
        await revoke.ClickAsync();
        await Assertions.Expect(item).ToContainTextAsync("revoked");
        await Assertions.Expect(item.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        // The same upload as before is now refused as unauthenticated (401), not as out of scope (403).
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(TestFiles.Png(2, 2)), "file", "k.png" } })
        using (var refused = await http.PostAsync("/api/media", form, TestContext.Current.CancellationToken))
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task AnAdmin_AddsAUser_ChangesTheRole_SignsThemOut_SetsAPassword_AndDeletesThem_ButNeverTheLastAdmin()
    {
        var ct = TestContext.Current.CancellationToken;
        var page = await app.NewPageAsync();
        await EditorPageTests.SignInAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Users" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Users" });
        await Assertions.Expect(dialog.Locator(".user-item", new() { HasText = "admin" })).ToContainTextAsync("admin · added");

        var name = "carol" + Guid.NewGuid().ToString("n")[..6];
        await dialog.GetByLabel("User name").FillAsync(name);
        await dialog.Locator("#user-role").SelectOptionAsync("editor");
        await dialog.GetByLabel("Password", new() { Exact = true }).FillAsync("carols-password-1");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
        var item = dialog.Locator(".user-item", new() { HasText = name });
        await Assertions.Expect(item).ToContainTextAsync("editor · added");

        // Carol signs in (over the API); a new role ends her sign-in, and so does "Sign out everywhere".
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        async Task<string> TokenAsync(string password)
        {
            using var response = await http.PostAsJsonAsync("/api/auth/token", new { username = name, password }, ct);
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct)).GetProperty("access_token").GetString()!;
        }
        async Task<HttpStatusCode> ReadWithAsync(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/trash") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
            using var response = await http.SendAsync(request, ct);
            return response.StatusCode;
        }
        var token = await TokenAsync("carols-password-1");
        Assert.Equal(HttpStatusCode.OK, await ReadWithAsync(token)); // the trash is for editors
        await item.GetByLabel($"Role of {name}").SelectOptionAsync("viewer");
        await Assertions.Expect(item).ToContainTextAsync("viewer · added");
        Assert.Equal(HttpStatusCode.Unauthorized, await ReadWithAsync(token));

        token = await TokenAsync("carols-password-1");
        await item.GetByRole(AriaRole.Button, new() { Name = $"Sign out everywhere {name}" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync($"Signed {name} out everywhere (1 sign-in ended)");
        Assert.Equal(HttpStatusCode.Unauthorized, await ReadWithAsync(token));

        await dialog.GetByLabel("For user").FillAsync(name);
        await dialog.GetByLabel("New password").FillAsync("carols-new-password-2");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Set password" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync($"Set a new password for {name}");
        await TokenAsync("carols-new-password-2");

        // The only admin cannot stop being one: the service's reason shows, and the list still says admin.
        var admin = dialog.Locator(".user-item", new() { HasText = "admin · added" });
        await admin.GetByLabel("Role of admin").SelectOptionAsync("editor");
        await Assertions.Expect(dialog.Locator("#users-error")).ToContainTextAsync("admin");
        await Assertions.Expect(admin).ToContainTextAsync("admin · added");

        var delete = item.GetByRole(AriaRole.Button, new() { Name = $"Delete {name}" });
        await delete.ClickAsync();
        await Assertions.Expect(delete).ToHaveTextAsync("Delete this user?");
        await delete.ClickAsync();
        await Assertions.Expect(item).ToHaveCountAsync(0);
        using var gone = await http.PostAsJsonAsync("/api/auth/token", new { username = name, password = "carols-new-password-2" }, ct);
        Assert.Equal(HttpStatusCode.Unauthorized, gone.StatusCode);
    }
}
