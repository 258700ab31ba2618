using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using MediaLibrary.Auth;
using MediaLibrary.Data;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Tests.Api;

/// <summary>
/// What single sign-on does with an account the provider vouched for, on each database: matched by issuer and subject,
/// created under a free name, its role from the claim at every sign-in, refused without one. The browser flow against a
/// real provider is in Browser/SingleSignOnTests.
/// </summary>
public abstract class SingleSignOnTests(MediaLibraryApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly SingleSignOnOptions Options = new()
    {
        Authority = "https://id.example.test", ClientId = "media", AdminValues = "media-admins", EditorValues = "media-editors, writers",
        ViewerValues = "staff",
    };

    private static ClaimsPrincipal Account(string issuer, string sub, string? preferredName, params string[] groups)
    {
        var claims = new List<Claim> { new("sub", sub, ClaimValueTypes.String, issuer) };
        if (preferredName is not null) claims.Add(new Claim("preferred_username", preferredName, ClaimValueTypes.String, issuer));
        claims.AddRange(groups.Select(g => new Claim("groups", g, ClaimValueTypes.String, issuer)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "oidc"));
    }

    private async Task<(User? User, SingleSignOn.Refusal Refusal)> SignInAsync(ClaimsPrincipal account, SingleSignOnOptions? options = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var sso = new SingleSignOn(services.GetRequiredService<MediaDbContext>(), services.GetRequiredService<UserAccounts>(),
            Microsoft.Extensions.Options.Options.Create(options ?? Options), TimeProvider.System, NullLogger<SingleSignOn>.Instance);
        return await sso.SignInAsync(account, Ct);
    }

    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("n")[..8];

    [Fact]
    public async Task AnAccount_IsMatchedBySubject_NotByName_AndEachIssuerIsItsOwn()
    {
        var sub = Unique("sub-");
        var name = Unique("carol");
        var (first, _) = await SignInAsync(Account("https://id.example.test", sub, name, "media-editors"));
        Assert.NotNull(first);
        Assert.Equal(name, first.UserName);
        Assert.Equal(Roles.Editor, first.Role);
        Assert.Equal("", first.PasswordHash);

        // The provider renamed the account: still the same user, under the name it was given first.
        var (again, _) = await SignInAsync(Account("https://id.example.test", sub, name + "-renamed", "media-editors"));
        Assert.Equal(first.Id, again!.Id);
        Assert.Equal(name, again.UserName);

        // The same subject at another provider is another person.
        var (other, _) = await SignInAsync(Account("https://other.example.test", sub, name, "writers"));
        Assert.NotEqual(first.Id, other!.Id);
        Assert.Equal(name + "-2", other.UserName);
        var third = await SignInAsync(Account("https://third.example.test", sub, name, "writers"));
        Assert.Equal(name + "-3", third.User!.UserName);
    }

    [Fact]
    public async Task TheRole_IsTheHighestAnyValueGives_AndAChangedRoleEndsTheUsersSignIns()
    {
        var sub = Unique("sub-");
        var (user, _) = await SignInAsync(Account("https://id.example.test", sub, null, "staff", "MEDIA-ADMINS")); // values compare without case
        Assert.Equal(Roles.Admin, user!.Role);
        Assert.Equal(sub, user.UserName); // no name claims: the subject

        string session;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var token = await scope.ServiceProvider.GetRequiredService<TokenService>().IssueAsync(user, Ct);
            session = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token.AccessToken).Id;
        }
        Assert.True(await app.WithDbAsync(db => db.Sessions.AnyAsync(s => s.Id == session, Ct)));

        // The provider moved the account to the viewers: its admin token is over.
        var (demoted, _) = await SignInAsync(Account("https://id.example.test", sub, null, "staff"));
        Assert.Equal(Roles.Viewer, demoted!.Role);
        Assert.False(await app.WithDbAsync(db => db.Sessions.AnyAsync(s => s.Id == session, Ct)));
        Assert.Equal(Roles.Viewer, await app.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.Role).SingleAsync(Ct)));
    }

    [Fact]
    public async Task AnAccountWithNoListedValue_IsRefused_UnlessThereIsADefaultRole_AndNothingIsStoredForIt()
    {
        var sub = Unique("sub-");
        var (refused, why) = await SignInAsync(Account("https://id.example.test", sub, "dave", "contractors"));
        Assert.Null(refused);
        Assert.Equal(SingleSignOn.Refusal.NoRole, why);
        Assert.False(await app.WithDbAsync(db => db.Users.AnyAsync(u => u.ExternalId!.EndsWith(" " + sub), Ct)));

        var withDefault = new SingleSignOnOptions { Authority = Options.Authority, ClientId = "media", DefaultRole = "viewer" };
        var (admitted, _) = await SignInAsync(Account("https://id.example.test", sub, "dave", "contractors"), withDefault);
        Assert.Equal(Roles.Viewer, admitted!.Role);

        var (noSubject, reason) = await SignInAsync(new ClaimsPrincipal(new ClaimsIdentity([new Claim("name", "nobody")], "oidc")));
        Assert.Null(noSubject);
        Assert.Equal(SingleSignOn.Refusal.NoSubject, reason);
    }

    [Fact]
    public async Task AUserMadeBySingleSignOn_HasNoPassword_ThatOpensIt()
    {
        var name = Unique("erin");
        await SignInAsync(Account("https://id.example.test", Unique("sub-"), name, "media-editors"));
        using var client = app.CreateClient();
        foreach (var password in new[] { "x", "password-editor", " " })
        {
            using var response = await client.PostAsJsonAsync("/api/auth/token", new { username = name, password }, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task WithoutSingleSignOn_ItsStartIsA404_AndThereIsNothingToExchange()
    {
        using var client = app.CreateClient();
        using var start = await client.GetAsync("/api/auth/sso/start", Ct);
        await start.ShouldBe(HttpStatusCode.NotFound);
        using var exchange = await client.PostAsync("/api/auth/sso/token", null, Ct);
        await exchange.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public void TheSettings_RefuseWhatCouldNotWork()
    {
        static List<string> Problems(SingleSignOnOptions o) =>
            o.Validate(new ValidationContext(o)).Select(r => r.ErrorMessage!).ToList();

        Assert.Empty(Problems(Options));
        Assert.Empty(Problems(new SingleSignOnOptions())); // off
        Assert.Contains(Problems(new SingleSignOnOptions { PasswordSignIn = false }), p => p.Contains("nobody could sign in", StringComparison.Ordinal));
        Assert.Contains(Problems(new SingleSignOnOptions { Authority = "http://id.example.test", ClientId = "m", DefaultRole = "viewer" }),
            p => p.Contains("https", StringComparison.Ordinal));
        Assert.Empty(Problems(new SingleSignOnOptions { Authority = "http://localhost:9", ClientId = "m", DefaultRole = "viewer", RequireHttps = false }));
        Assert.Contains(Problems(new SingleSignOnOptions { Authority = "https://id.example.test", DefaultRole = "viewer" }), p => p.Contains("CLIENT_ID", StringComparison.Ordinal));
        Assert.Contains(Problems(new SingleSignOnOptions { Authority = "https://id.example.test", ClientId = "m" }), p => p.Contains("gives nobody a role", StringComparison.Ordinal));
        Assert.Contains(Problems(new SingleSignOnOptions { Authority = "https://id.example.test", ClientId = "m", DefaultRole = "owner" }), p => p.Contains("DEFAULT_ROLE", StringComparison.Ordinal));
        Assert.Equal(["openid", "profile", "groups"], new SingleSignOnOptions { Scopes = " profile openid  groups profile" }.ScopeList);
    }
}

public sealed class SqliteSingleSignOnTests(MediaLibraryApp app) : SingleSignOnTests(app), IClassFixture<MediaLibraryApp>;

public sealed class PostgresSingleSignOnTests(PostgresMediaLibraryApp app) : SingleSignOnTests(app), IClassFixture<PostgresMediaLibraryApp>;
