using System.Net;
using System.Net.Http.Json;
using System.Text;
using MediaLibrary.Auth;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Tests.Api;

/// <summary>Small defects an attacker's tour found: page overflow, quoted file names, forged log lines, old password hashes.</summary>
public abstract partial class ApiTests
{
    [Fact]
    public async Task List_APageFarPastTheEnd_IsEmpty_NeverPageOne()
    {
        var client = await App.ClientAsync();
        await client.UploadAsync(TestFiles.Png(2, 2));
        foreach (var url in new[] { "/api/media?page=999999999", $"/api/media?page={int.MaxValue}&page_size=200" })
        {
            using var response = await client.GetAsync(url, Ct);
            await response.ShouldBe(HttpStatusCode.OK);
            var page = await response.ReadAsync<System.Text.Json.JsonElement>();
            Assert.Equal(0, page.GetProperty("results").GetArrayLength());
            Assert.True(page.GetProperty("count").GetInt32() >= 1);
            Assert.Contains("page=", page.GetProperty("previous").GetString()); // back to the last page there is
        }
    }

    [Fact]
    public async Task Upload_WithAnEscapedQuoteInTheFileName_KeepsTheWholeName()
    {
        var client = await App.ClientAsync();
        var body = new MemoryStream();
        body.Write("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"say \\\"cheese\\\".png\"\r\nContent-Type: image/png\r\n\r\n"u8);
        body.Write(TestFiles.Png(2, 2));
        body.Write("\r\n--b--\r\n"u8);
        var content = new ByteArrayContent(body.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b");
        using var response = await client.PostAsync("/api/media", content, Ct);
        await response.ShouldBe(HttpStatusCode.Created);
        var media = await response.ReadAsync<MediaLibrary.Delivery.MediaResponse>();
        Assert.Equal("say _cheese_.png", media.FileName); // the quotes are cleaned, and nothing before them is lost
    }

    [Fact]
    public async Task SignIn_WithControlCharactersInTheName_CannotForgeALogLine()
    {
        using var response = await App.CreateClient().PostAsJsonAsync("/api/auth/token",
            new { username = "eve\r\ninfo: MediaLibrary[0] User admin signed in\u001b[0m", password = "whatever-it-is" }, Ct);
        await response.ProblemAsync(HttpStatusCode.Unauthorized);
        var record = App.Logs.GetSnapshot().Last(r => r.Message.StartsWith("Sign-in failed for user eve", StringComparison.Ordinal));
        Assert.DoesNotContain('\n', record.Message);
        Assert.DoesNotContain('\u001b', record.Message);
        Assert.Contains("eve\\u000d\\u000ainfo: MediaLibrary[0]", record.Message);
    }

    [Fact]
    public async Task SignIn_WithAnOldPasswordHash_RehashesItAtOwaspsCount()
    {
        var name = Unique("old");
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MediaLibrary.Data.MediaDbContext>();
            var user = new User { UserName = name, Role = Roles.Editor, PasswordHash = "", CreatedAt = DateTime.UtcNow };
            user.PasswordHash = new PasswordHasher<User>(Options.Create(new PasswordHasherOptions { IterationCount = 100_000 })).HashPassword(user, "old-password-1");
            db.Users.Add(user);
            await db.SaveChangesAsync(Ct);
        }
        Assert.Equal(100_000, await IterationsAsync(name));

        using var response = await App.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = name, password = "old-password-1" }, Ct);
        await response.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(AuthSetup.PasswordIterations, await IterationsAsync(name));
        Assert.Equal(210_000, AuthSetup.PasswordIterations);
    }

    /// <summary>ASP.NET Core Identity's v3 format: 0x01, the PRF, then the iteration count, big-endian.</summary>
    private async Task<int> IterationsAsync(string userName)
    {
        var hash = Convert.FromBase64String(await App.WithDbAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.PasswordHash).SingleAsync()));
        Assert.Equal(1, hash[0]);
        return (hash[5] << 24) | (hash[6] << 16) | (hash[7] << 8) | hash[8];
    }
}
