using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MediaLibrary.Auth;
using MediaLibrary.Tests.Infrastructure;

namespace MediaLibrary.Tests.Process;

public sealed partial class ProcessTests
{
    [Fact]
    public async Task UsersCli_SetRoleRevokeAndDelete_EndTheRunningServicesTokens_WithinSeconds_AndKeepTheLastAdmin()
    {
        var env = new Dictionary<string, string?> { ["MEDIALIB_DATA_DIR"] = Path.Combine(_workDir, "data"), ["MEDIALIB_ADMIN_PASSWORD"] = "admin-password" };
        var port = Ports.Free();
        await using var service = ServiceProcess.Start(_workDir, env, "--urls", $"http://127.0.0.1:{port}");
        await service.WaitForLineAsync("Now listening on:");

        // The first start made the one admin, who stays.
        var lastAdmin = await ServiceProcess.RunAsync(_workDir, env, null, "users", "delete", "admin");
        Assert.Equal(1, lastAdmin.ExitCode);
        Assert.Contains("last admin", lastAdmin.Output);
        var downgrade = await ServiceProcess.RunAsync(_workDir, env, null, "users", "set-role", "admin", "viewer");
        Assert.Equal(1, downgrade.ExitCode);
        foreach (var name in new[] { "carol", "dave" })
            Assert.Equal(0, (await ServiceProcess.RunAsync(_workDir, env, "carol-password\n", "users", "add", name, "--role", "editor")).ExitCode);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var carol = await TokenAsync(http, "carol", "carol-password");
        var dave = await TokenAsync(http, "dave", "carol-password");
        Assert.Equal(HttpStatusCode.Created, await UploadStatusAsync(http, carol));

        // The CLI is another process, as another node would be: the service learns of the change within five seconds.
        var setRole = await ServiceProcess.RunAsync(_workDir, env, null, "users", "set-role", "carol", "viewer");
        Assert.True(setRole.ExitCode == 0, setRole.Output);
        Assert.True(await EndsWithinAsync(http, carol), "carol's editor token still works after set-role");

        var revoke = await ServiceProcess.RunAsync(_workDir, env, null, "users", "revoke", "dave");
        Assert.Contains("1 sign-ins ended", revoke.Output);
        Assert.True(await EndsWithinAsync(http, dave), "dave's token still works after revoke");

        var dave2 = await TokenAsync(http, "dave", "carol-password");
        Assert.Equal(0, (await ServiceProcess.RunAsync(_workDir, env, null, "users", "delete", "dave")).ExitCode);
        Assert.True(await EndsWithinAsync(http, dave2), "a deleted user's token still works");
        var list = await ServiceProcess.RunAsync(_workDir, env, null, "users", "list");
        Assert.DoesNotContain("dave", list.Output);
        Assert.Contains("carol\tviewer", list.Output);
    }

    [Fact]
    public async Task SignInRateLimit_BehindATrustedProxy_CountsEachClientAddress_AndIgnoresForwardedHeadersFromAnyoneElse()
    {
        var env = new Dictionary<string, string?>
        {
            ["MEDIALIB_DATA_DIR"] = Path.Combine(_workDir, "data"), ["MEDIALIB_ADMIN_PASSWORD"] = "admin-password",
            ["MEDIALIB_TRUSTED_PROXIES"] = "127.0.0.1",
        };
        var port = Ports.Free();
        await using (var service = ServiceProcess.Start(_workDir, env, "--urls", $"http://127.0.0.1:{port}"))
        {
            await service.WaitForLineAsync("Now listening on:");
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            // Ten failures (each under a new name, so no name is locked) use up one address's ten a minute.
            for (var i = 0; i < 10; i++) Assert.Equal(HttpStatusCode.Unauthorized, await SignInFromAsync(http, "203.0.113.7", $"guess-{i}"));
            Assert.Equal(HttpStatusCode.TooManyRequests, await SignInFromAsync(http, "203.0.113.7", "guess-10"));
            // Another client behind the same proxy still signs in.
            Assert.Equal(HttpStatusCode.OK, await SignInFromAsync(http, "203.0.113.8", "admin", "admin-password"));
        }

        // The same requests when the service was not told of the proxy: the header is the client's own word and counts
        // for nothing, so all share the connection's address.
        env["MEDIALIB_TRUSTED_PROXIES"] = "10.0.0.0/8";
        port = Ports.Free();
        await using (var service = ServiceProcess.Start(_workDir, env, "--urls", $"http://127.0.0.1:{port}"))
        {
            await service.WaitForLineAsync("Now listening on:");
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            for (var i = 0; i < 10; i++) Assert.Equal(HttpStatusCode.Unauthorized, await SignInFromAsync(http, $"198.51.100.{i}", $"guess-{i}"));
            Assert.Equal(HttpStatusCode.TooManyRequests, await SignInFromAsync(http, "198.51.100.200", "admin", "admin-password"));
        }
    }

    private static async Task<HttpStatusCode> SignInFromAsync(HttpClient http, string forwardedFor, string user, string password = "wrong-password")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token") { Content = JsonContent.Create(new { username = user, password }) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await http.SendAsync(request, Ct);
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> UploadStatusAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/media") { Content = TestFiles.Form(TestFiles.Png(2, 2)) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, Ct);
        return response.StatusCode;
    }

    /// <summary>Whether the token stops working within the nodes' memory of a check (five seconds) and a margin.</summary>
    private static async Task<bool> EndsWithinAsync(HttpClient http, string token)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < SessionCheck.RememberFor + TimeSpan.FromSeconds(2))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/files-cookie");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, Ct);
            if (response.StatusCode == HttpStatusCode.Unauthorized) return true;
            await Task.Delay(250, Ct);
        }
        return false;
    }
}
