using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using MediaLibrary.Auth;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MediaLibrary.Tests.Api;

public abstract partial class ApiTests
{
    [Fact]
    public async Task Token_WithRightPassword_ReturnsBearerTokenThatAuthorizesUploads()
    {
        var client = App.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = MediaLibraryApp.AdminPassword }, Ct);
        await response.ShouldBe(HttpStatusCode.OK);
        var token = await response.ReadAsync<TokenResponse>();
        Assert.Equal("Bearer", token.TokenType);
        Assert.Equal(3600, token.ExpiresIn);
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString());

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        var media = await client.UploadAsync(TestFiles.Png(4, 4));
        Assert.True(media.Id > 0);
    }

    [Fact]
    public async Task Token_WithWrongPassword_Returns401Problem()
    {
        using var response = await App.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = "admin", password = "wrong-password" }, Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("The user name or password is wrong.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Token_ForUnknownUser_Returns401WithTheSameMessage()
    {
        using var response = await App.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = "nobody-" + Unique(), password = "whatever-1" }, Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("The user name or password is wrong.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Token_WithMissingFields_Returns400WithFieldErrors()
    {
        using var response = await App.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = "" }, Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("username", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("password", out _));
    }

    [Fact]
    public async Task Upload_WithoutToken_Returns401AndStoresNothing()
    {
        var before = App.StoredKeys();
        using var response = await App.CreateClient().PostAsync("/api/media", TestFiles.Form(TestFiles.Png(2, 2)), Ct);
        await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(before, App.StoredKeys());
    }

    [Fact]
    public async Task Mutations_AsViewer_Return403()
    {
        var editor = await App.ClientAsync(Roles.Editor);
        var media = await editor.UploadAsync(TestFiles.Png(2, 2));
        var viewer = await App.ClientAsync(Roles.Viewer);

        using var upload = await viewer.PostAsync("/api/media", TestFiles.Form(TestFiles.Png(2, 2)), Ct);
        await upload.ProblemAsync(HttpStatusCode.Forbidden);
        using var patch = await viewer.PatchAsJsonAsync($"/api/media/{media.Id}", new { title = "x" }, Ct);
        await patch.ProblemAsync(HttpStatusCode.Forbidden);
        using var replace = await viewer.PutAsync($"/api/media/{media.Id}/file", TestFiles.Form(TestFiles.Png(3, 3)), Ct);
        await replace.ProblemAsync(HttpStatusCode.Forbidden);
        using var delete = await viewer.DeleteAsync($"/api/media/{media.Id}", Ct);
        await delete.ProblemAsync(HttpStatusCode.Forbidden);

        using var stillThere = await viewer.GetAsync($"/api/media/{media.Id}", Ct);
        await stillThere.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Mutations_AsAdmin_AreAllowed()
    {
        var admin = await App.ClientAsync(Roles.Admin);
        var media = await admin.UploadAsync(TestFiles.Png(2, 2));
        using var delete = await admin.DeleteAsync($"/api/media/{media.Id}", Ct);
        await delete.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Upload_WithExpiredToken_Returns401()
    {
        var past = DateTime.UtcNow.AddHours(-2);
        var token = Mint(Key(), past, past.AddHours(1), SecurityAlgorithms.HmacSha256);
        await AssertRejectedAsync(token);
    }

    [Fact]
    public async Task Upload_WithTokenSignedByAnotherKey_Returns401()
    {
        var otherKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes("another-key-that-is-long-enough-for-hs256!!"));
        var now = DateTime.UtcNow;
        await AssertRejectedAsync(Mint(otherKey, now, now.AddHours(1), SecurityAlgorithms.HmacSha256));
    }

    [Fact]
    public async Task Upload_WithUnsignedAlgNoneToken_Returns401()
    {
        static string B64(string s) => Base64UrlEncoder.Encode(s);
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var token = B64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." +
                    B64($"{{\"iss\":\"medialibrary\",\"aud\":\"medialibrary\",\"sub\":\"1\",\"name\":\"admin\",\"role\":\"admin\",\"exp\":{exp}}}") + ".";
        await AssertRejectedAsync(token);
    }

    [Fact]
    public async Task Upload_WithTamperedRoleClaim_Returns401()
    {
        var viewerToken = await App.TokenAsync(Roles.Viewer);
        var parts = viewerToken.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]).Replace("\"viewer\"", "\"admin\"");
        await AssertRejectedAsync($"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}");
    }

    [Fact]
    public async Task Upload_WithGarbageToken_Returns401()
    {
        await AssertRejectedAsync("not-a-jwt");
    }

    private SymmetricSecurityKey Key() => App.Services.GetRequiredService<JwtSigningKey>().Key;

    private static string Mint(SecurityKey key, DateTime notBefore, DateTime expires, string algorithm) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TokenService.Issuer,
            Audience = TokenService.Audience,
            IssuedAt = notBefore,
            NotBefore = notBefore,
            Expires = expires,
            Claims = new Dictionary<string, object> { ["sub"] = "1", ["name"] = "admin", ["role"] = Roles.Admin },
            SigningCredentials = new SigningCredentials(key, algorithm),
        });

    private async Task AssertRejectedAsync(string token)
    {
        var before = App.StoredKeys();
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.PostAsync("/api/media", TestFiles.Form(TestFiles.Png(2, 2)), Ct);
        await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(before, App.StoredKeys());
    }
}
