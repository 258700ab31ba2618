using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MediaLibrary.Auth;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MediaLibrary.Tests.Api;

public abstract partial class ApiTests
{
    [Fact]
    public async Task OldToken_OfADeletedUser_Is401()
    {
        var (name, token) = await SignedInUserAsync(Roles.Editor);
        Assert.Equal(HttpStatusCode.Created, await UploadStatusAsync(token));

        var admin = await App.ClientAsync(Roles.Admin);
        using var delete = await admin.DeleteAsync($"/api/admin/users/{name}", Ct);
        await delete.ShouldBe(HttpStatusCode.NoContent);

        Assert.Equal(HttpStatusCode.Unauthorized, await UploadStatusAsync(token));
        using var again = await admin.DeleteAsync($"/api/admin/users/{name}", Ct);
        await again.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OldToken_OfADowngradedUser_Is401_AndANewSignInHasTheNewRole()
    {
        var (name, token) = await SignedInUserAsync(Roles.Editor);
        var admin = await App.ClientAsync(Roles.Admin);
        using var change = await admin.PatchAsJsonAsync($"/api/admin/users/{name}", new { role = Roles.Viewer }, Ct);
        await change.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(Roles.Viewer, (await change.ReadAsync<UserEndpoints.UserResponse>()).Role);

        Assert.Equal(HttpStatusCode.Unauthorized, await UploadStatusAsync(token));
        var fresh = await SignInAsync(name, "password-" + name);
        Assert.Equal(HttpStatusCode.Forbidden, await UploadStatusAsync(fresh));
    }

    [Fact]
    public async Task OldToken_AfterAPasswordChange_Is401_AndTheNewPasswordSignsIn()
    {
        var (name, token) = await SignedInUserAsync(Roles.Editor);
        var admin = await App.ClientAsync(Roles.Admin);
        using var change = await admin.PatchAsJsonAsync($"/api/admin/users/{name}", new { password = "a-new-password" }, Ct);
        await change.ShouldBe(HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.Unauthorized, await UploadStatusAsync(token));
        Assert.Equal(HttpStatusCode.Created, await UploadStatusAsync(await SignInAsync(name, "a-new-password")));
    }

    [Fact]
    public async Task ASignInThatReadTheUserBeforeAPasswordChange_GetsATokenThatDoesNotWork()
    {
        var (name, _) = await SignedInUserAsync(Roles.Editor);
        // What a sign-in checking the old password read, before the change below committed.
        var before = await App.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.UserName == name, Ct));
        var admin = await App.ClientAsync(Roles.Admin);
        using (var change = await admin.PatchAsJsonAsync($"/api/admin/users/{name}", new { password = "a-new-password" }, Ct))
            await change.ShouldBe(HttpStatusCode.OK);

        // The racing sign-in issues its token after the change's sessions were ended.
        await using var scope = App.Services.CreateAsyncScope();
        var late = await scope.ServiceProvider.GetRequiredService<TokenService>().IssueAsync(before, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, await UploadStatusAsync(late.AccessToken));
    }

    [Fact]
    public async Task SignOut_EndsThatTokenOnly_RevokeEndsEveryToken()
    {
        var (name, first) = await SignedInUserAsync(Roles.Editor);
        var second = await SignInAsync(name, "password-" + name);
        var third = await SignInAsync(name, "password-" + name);

        using var signOut = await Client(first).PostAsync("/api/auth/sign-out", null, Ct);
        await signOut.ShouldBe(HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.Unauthorized, await UploadStatusAsync(first));
        Assert.Equal(HttpStatusCode.Created, await UploadStatusAsync(second));

        var admin = await App.ClientAsync(Roles.Admin);
        using var revoke = await admin.PostAsync($"/api/admin/users/{name}/revoke", null, Ct);
        await revoke.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(2, (await revoke.ReadAsync<UserEndpoints.RevokeResponse>()).SessionsEnded);
        Assert.Equal(HttpStatusCode.Unauthorized, await UploadStatusAsync(second));
        Assert.Equal(HttpStatusCode.Unauthorized, await UploadStatusAsync(third));
    }

    [Fact]
    public async Task UsersApi_AddsListsAndRefusesBadInput_OnlyForAdmins()
    {
        var name = Unique("api-");
        var admin = await App.ClientAsync(Roles.Admin);
        using var add = await admin.PostAsJsonAsync("/api/admin/users", new { username = name, role = Roles.Viewer, password = "viewer-password" }, Ct);
        await add.ShouldBe(HttpStatusCode.Created);
        Assert.Equal($"/api/admin/users/{name}", add.Headers.Location!.ToString());

        using var list = await admin.GetAsync("/api/admin/users", Ct);
        Assert.Contains(await list.ReadAsync<List<UserEndpoints.UserResponse>>(), u => u.Username == name && u.Role == Roles.Viewer);

        using var duplicate = await admin.PostAsJsonAsync("/api/admin/users", new { username = name, role = Roles.Viewer, password = "viewer-password" }, Ct);
        await duplicate.ProblemAsync(HttpStatusCode.Conflict);
        using var bad = await admin.PostAsJsonAsync("/api/admin/users", new { username = "has space", role = "superuser", password = "short" }, Ct);
        var errors = (await bad.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        foreach (var field in new[] { "username", "role", "password" }) Assert.True(errors.TryGetProperty(field, out _), field);

        // A bad password refuses the whole change: the role stays.
        using var half = await admin.PatchAsJsonAsync($"/api/admin/users/{name}", new { role = Roles.Editor, password = "short" }, Ct);
        await half.ProblemAsync(HttpStatusCode.BadRequest);
        using var after = await admin.GetAsync("/api/admin/users", Ct);
        Assert.Contains(await after.ReadAsync<List<UserEndpoints.UserResponse>>(), u => u.Username == name && u.Role == Roles.Viewer);
        using var missing = await admin.PatchAsJsonAsync($"/api/admin/users/nobody-{Unique()}", new { role = Roles.Editor }, Ct);
        await missing.ProblemAsync(HttpStatusCode.NotFound);

        var editor = await App.ClientAsync(Roles.Editor);
        using var refused = await editor.GetAsync("/api/admin/users", Ct);
        await refused.ProblemAsync(HttpStatusCode.Forbidden);
        using var refusedDelete = await editor.DeleteAsync($"/api/admin/users/{name}", Ct);
        await refusedDelete.ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ASignInThatCannotBeChecked_Is503WithRetryAfter_AndStandsAgainWhenTheDatabaseAnswers()
    {
        var (_, token) = await SignedInUserAsync(Roles.Editor); // not used yet, so no node remembers it
        await App.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE sessions RENAME TO sessions_away", Ct));
        try
        {
            using var response = await Client(token).PostAsync("/api/media", TestFiles.Form(TestFiles.Png(2, 2)), Ct);
            var problem = await response.ProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal("Sign-ins cannot be checked right now.", problem.GetProperty("title").GetString());
            Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        }
        finally
        {
            await App.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE sessions_away RENAME TO sessions", Ct));
        }
        Assert.Equal(HttpStatusCode.Created, await UploadStatusAsync(token));
    }

    /// <summary>A new user of that role (password "password-NAME"), signed in through the API.</summary>
    private async Task<(string Name, string Token)> SignedInUserAsync(string role)
    {
        var name = Unique("u-");
        var admin = await App.ClientAsync(Roles.Admin);
        using var add = await admin.PostAsJsonAsync("/api/admin/users", new { username = name, role, password = "password-" + name }, Ct);
        await add.ShouldBe(HttpStatusCode.Created);
        return (name, await SignInAsync(name, "password-" + name));
    }

    private async Task<string> SignInAsync(string name, string password)
    {
        using var response = await App.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = name, password }, Ct);
        await response.ShouldBe(HttpStatusCode.OK);
        return (await response.ReadAsync<TokenResponse>()).AccessToken;
    }

    private HttpClient Client(string token)
    {
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private async Task<HttpStatusCode> UploadStatusAsync(string token)
    {
        using var response = await Client(token).PostAsync("/api/media", TestFiles.Form(TestFiles.Png(2, 2)), Ct);
        return response.StatusCode;
    }
}
