using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using MediaLibrary.Delivery;
using MediaLibrary.Media;
using MediaLibrary.Tests.Infrastructure;

namespace MediaLibrary.Tests.Process;

/// <summary>
/// The real executable behind a real nginx configured with docs/nginx.conf as shipped (only the ports and the folders
/// replaced): nginx caches originals and the service purges retired versions from that cache; for everything else the
/// service looks files up and writes the headers, and nginx sends the bytes through X-Accel-Redirect.
/// </summary>
public sealed class NginxAccelTests(NginxAccelTests.Fixture fixture) : IClassFixture<NginxAccelTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        private const string Password = "nginx-password-1";
        private ServiceProcess? _service;
        private System.Diagnostics.Process? _nginx;

        public string WorkDir { get; } = Path.Combine(Path.GetTempPath(), "medialib-nginx-" + Guid.NewGuid().ToString("n")[..10]);
        public string BaseUrl { get; private set; } = "";
        public HttpClient Client { get; } = new();

        public async ValueTask InitializeAsync()
        {
            Directory.CreateDirectory(Path.Combine(WorkDir, "nginx"));
            var servicePort = Ports.Free();
            var nginxPort = Ports.Free();
            BaseUrl = $"http://127.0.0.1:{nginxPort}";
            _service = ServiceProcess.Start(WorkDir, new Dictionary<string, string?>
            {
                ["MEDIALIB_ADMIN_PASSWORD"] = Password,
                ["MEDIALIB_ACCEL_REDIRECT"] = "/_medialib/",
                ["MEDIALIB_CACHE_PURGE_URL"] = BaseUrl + "/",
            }, "--urls", $"http://127.0.0.1:{servicePort}");
            await _service.WaitForLineAsync("Now listening on:");

            var site = (await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "docs", "nginx.conf")))
                .Replace("127.0.0.1:5080", $"127.0.0.1:{servicePort}", StringComparison.Ordinal)
                .Replace("listen 80;", $"listen 127.0.0.1:{nginxPort};", StringComparison.Ordinal)
                .Replace("/var/lib/medialibrary/files/", Path.Combine(WorkDir, "data", "files") + "/", StringComparison.Ordinal)
                .Replace("/var/cache/nginx/medialibrary", Path.Combine(WorkDir, "nginx", "cache"), StringComparison.Ordinal);
            var nginxDir = Path.Combine(WorkDir, "nginx");
            await File.WriteAllTextAsync(Path.Combine(nginxDir, "nginx.conf"), $$"""
                user {{Environment.UserName}};
                daemon off;
                worker_processes 1;
                pid {{nginxDir}}/nginx.pid;
                error_log {{nginxDir}}/error.log;
                events { worker_connections 256; }
                http {
                  access_log off;
                  client_body_temp_path {{nginxDir}}/body;
                  proxy_temp_path {{nginxDir}}/proxy;
                  {{site}}
                }
                """);
            _nginx = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(
                File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx", ["-c", Path.Combine(nginxDir, "nginx.conf"), "-p", nginxDir])
                { RedirectStandardError = true })!;
            for (var i = 0; ; i++)
            {
                try
                {
                    using var health = await Client.GetAsync($"{BaseUrl}/health");
                    if (health.IsSuccessStatusCode) break;
                }
                catch (HttpRequestException) when (i < 100)
                {
                }
                if (_nginx.HasExited) throw new InvalidOperationException("nginx did not start: " + await _nginx.StandardError.ReadToEndAsync());
                await Task.Delay(100);
            }

            using var token = await Client.PostAsJsonAsync($"{BaseUrl}/api/auth/token", new { username = "admin", password = Password });
            var access = (await token.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("access_token").GetString();
            Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", access);
        }

        public async ValueTask DisposeAsync()
        {
            if (_nginx is { HasExited: false }) _nginx.Kill(entireProcessTree: true); // the master and its workers
            _nginx?.Dispose();
            if (_service is not null) await _service.DisposeAsync();
            Client.Dispose();
            try { Directory.Delete(WorkDir, recursive: true); } catch (IOException) { }
        }

        private static string RepoRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MediaLibrary.slnx"))) dir = dir.Parent;
            return dir?.FullName ?? throw new DirectoryNotFoundException("The repository root (MediaLibrary.slnx) was not found.");
        }
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<MediaResponse> UploadAsync(byte[] bytes, string name)
    {
        using var response = await fixture.Client.PostAsync($"{fixture.BaseUrl}/api/media", TestFiles.Form(bytes, name), Ct);
        await response.ShouldBe(HttpStatusCode.Created);
        return await response.ReadAsync<MediaResponse>();
    }

    private static string? CacheStatus(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Cache-Status", out var values) ? values.Single() : null;

    [Fact]
    public async Task Original_IsFetchedOnce_ThenSentFromNginxsCache_WithTheServicesHeaders_RangesAnd304()
    {
        var bytes = TestFiles.Jpeg(640, 480, seed: 7);
        var media = await UploadAsync(bytes, "harbour.jpg");
        Assert.StartsWith(fixture.BaseUrl, media.Url); // links point at nginx, not at the service behind it

        foreach (var expected in new[] { "MISS", "HIT" })
        {
            using var response = await fixture.Client.GetAsync(media.Url, Ct);
            await response.ShouldBe(HttpStatusCode.OK);
            Assert.Equal(expected, CacheStatus(response));
            Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync(Ct));
            Assert.Equal("image/jpeg", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal(FileDelivery.ImmutableCacheControl, response.Headers.CacheControl!.ToString());
            Assert.Equal($"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))}\"", response.Headers.ETag!.Tag);
            Assert.Equal("inline", response.Content.Headers.ContentDisposition!.DispositionType);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.False(response.Headers.Contains("X-Accel-Redirect"));
            Assert.Equal("nginx", response.Headers.Server.First().Product?.Name);
        }

        // The name after the version is not part of the cache key (the service ignores it too).
        using (var otherName = await fixture.Client.GetAsync(media.Url.Replace("harbour.jpg", "other.jpg", StringComparison.Ordinal), Ct))
        {
            Assert.Equal("HIT", CacheStatus(otherName));
            Assert.Equal(bytes, await otherName.Content.ReadAsByteArrayAsync(Ct));
        }

        using var range = new HttpRequestMessage(HttpMethod.Get, media.Url) { Headers = { Range = new RangeHeaderValue(100, 199) } };
        using var partial = await fixture.Client.SendAsync(range, Ct);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(bytes[100..200], await partial.Content.ReadAsByteArrayAsync(Ct));

        using var conditional = new HttpRequestMessage(HttpMethod.Get, media.Url)
            { Headers = { IfNoneMatch = { new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))}\"") } } };
        using var notModified = await fixture.Client.SendAsync(conditional, Ct);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task Original_InAnotherSpelling_IsNotCached_AndIsSentByNginxThroughXAccelRedirect()
    {
        var bytes = TestFiles.Jpeg(320, 240, seed: 12);
        var media = await UploadAsync(bytes, "pier.jpg");
        var zeroPadded = media.Url.Replace($"/files/{media.Id}/", $"/files/0{media.Id}/", StringComparison.Ordinal);
        for (var i = 0; i < 2; i++)
        {
            using var response = await fixture.Client.GetAsync(zeroPadded, Ct);
            await response.ShouldBe(HttpStatusCode.OK);
            Assert.Null(CacheStatus(response));
            Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync(Ct));
            Assert.NotNull(response.Content.Headers.LastModified); // from nginx's static module: it sent the file, not the service
            Assert.Equal($"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))}\"", response.Headers.ETag!.Tag);
        }
        using (var deleted = await fixture.Client.DeleteAsync($"{fixture.BaseUrl}/api/media/{media.Id}", Ct)) await deleted.ShouldBe(HttpStatusCode.NoContent);
        using var gone = await fixture.Client.GetAsync(zeroPadded, Ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task CachedOriginal_IsGoneFromTheCache_AsSoonAsItIsDeletedOrReplaced()
    {
        var first = TestFiles.Jpeg(200, 150, seed: 13);
        var media = await UploadAsync(first, "quay.jpg");
        var other = await UploadAsync(TestFiles.Jpeg(200, 150, seed: 14), "dock.jpg");
        foreach (var url in new[] { media.Url, media.Url, other.Url, other.Url })
        {
            using var warm = await fixture.Client.GetAsync(url, Ct);
            await warm.ShouldBe(HttpStatusCode.OK);
        }

        using (var replaced = await fixture.Client.PutAsync($"{fixture.BaseUrl}/api/media/{media.Id}/file", TestFiles.Form(TestFiles.Jpeg(200, 150, seed: 15), "quay.jpg"), Ct))
            await replaced.ShouldBe(HttpStatusCode.OK);
        // The DELETE/PUT answered after its inline purge: no request after it gets the retired bytes.
        using (var old = await fixture.Client.GetAsync(media.Url, Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
            Assert.Equal("application/problem+json", old.Content.Headers.ContentType!.MediaType);
        }
        using (var otherStill = await fixture.Client.GetAsync(other.Url, Ct))
        {
            Assert.Equal("HIT", CacheStatus(otherStill)); // a purge takes one version, nothing else
        }

        using (var deleted = await fixture.Client.DeleteAsync($"{fixture.BaseUrl}/api/media/{other.Id}", Ct)) await deleted.ShouldBe(HttpStatusCode.NoContent);
        foreach (var url in new[] { other.Url, other.Url.Replace("dock.jpg", "any-name.jpg", StringComparison.Ordinal) })
        {
            using var gone = await fixture.Client.GetAsync(url, Ct);
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
    }

    [Fact]
    public async Task Purge_FromAnyAddressButTheServices_IsRefused_SoNoOneCanCacheA404ForAVersionToCome()
    {
        var media = await UploadAsync(TestFiles.Jpeg(64, 48, seed: 16), "future.jpg");
        var nextVersion = media.Url.Replace("/v1/", "/v2/", StringComparison.Ordinal);
        // Another loopback address stands in for a stranger: docs/nginx.conf lets only 127.0.0.1 and ::1 purge.
        using var stranger = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            },
        });
        using (var purge = await stranger.SendAsync(new HttpRequestMessage(new HttpMethod("PURGE"), nextVersion), Ct))
            Assert.Equal(HttpStatusCode.Forbidden, purge.StatusCode);

        using (var replaced = await fixture.Client.PutAsync($"{fixture.BaseUrl}/api/media/{media.Id}/file", TestFiles.Form(TestFiles.Jpeg(64, 48, seed: 17), "future.jpg"), Ct))
            await replaced.ShouldBe(HttpStatusCode.OK);
        using var current = await stranger.GetAsync(nextVersion, Ct);
        await current.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Derivative_FormatByAccept_KeepsVary_AndSvgKeepsItsSandbox()
    {
        var media = await UploadAsync(TestFiles.Jpeg(800, 600, seed: 8), "meadow.jpg");
        var url = media.Url.Replace("/v1/", "/v1/w_320,f_auto/", StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Accept = { new("image/webp") } } };
        using var response = await fixture.Client.SendAsync(request, Ct);
        await response.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("image/webp", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("WEBP", System.Text.Encoding.ASCII.GetString((await response.Content.ReadAsByteArrayAsync(Ct))[8..12]));
        Assert.Contains("Accept", response.Headers.Vary);

        var svg = await UploadAsync(TestFiles.Svg(), "logo.svg");
        using var svgResponse = await fixture.Client.GetAsync(svg.Url, Ct);
        await svgResponse.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("attachment", svgResponse.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Contains("sandbox", svgResponse.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task ReplacedAndDeletedVersions_Answer404FromTheService_AndTheInternalPathIsNotReachable()
    {
        var media = await UploadAsync(TestFiles.Jpeg(64, 48, seed: 9), "team.jpg");
        using (var replaced = await fixture.Client.PutAsync($"{fixture.BaseUrl}/api/media/{media.Id}/file", TestFiles.Form(TestFiles.Jpeg(64, 48, seed: 10), "team.jpg"), Ct))
            await replaced.ShouldBe(HttpStatusCode.OK);
        using (var old = await fixture.Client.GetAsync(media.Url, Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
            Assert.Equal("application/problem+json", old.Content.Headers.ContentType!.MediaType);
        }
        using (var deleted = await fixture.Client.DeleteAsync($"{fixture.BaseUrl}/api/media/{media.Id}", Ct)) await deleted.ShouldBe(HttpStatusCode.NoContent);
        using (var gone = await fixture.Client.GetAsync(media.Url.Replace("/v1/", "/v2/", StringComparison.Ordinal), Ct))
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);

        var other = await UploadAsync(TestFiles.Jpeg(64, 48, seed: 11), "office.jpg");
        var key = Directory.EnumerateFiles(Path.Combine(fixture.WorkDir, "data", "files"), "original", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Path.Combine(fixture.WorkDir, "data", "files"), f)).First();
        using var direct = await fixture.Client.GetAsync($"{fixture.BaseUrl}/_medialib/{key}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, direct.StatusCode); // internal: only an X-Accel-Redirect reaches it
        Assert.NotEqual(0, other.Id);
    }
}
