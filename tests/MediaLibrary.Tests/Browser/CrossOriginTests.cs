using System.Net;
using System.Text;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MediaLibrary.Tests.Browser;

/// <summary>The client as a website on another origin uses it, in Chromium: README's example, progress included.</summary>
public sealed class CrossOriginTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    /// <summary>
    /// A website at <paramref name="origin"/>: a real server on loopback (Chromium lets only a loopback page reach a
    /// loopback service) whose one page imports the client from the service, as README shows.
    /// </summary>
    internal sealed class Site : IDisposable
    {
        private readonly HttpListener _listener = new();

        public Site(string origin, string serviceUrl)
        {
            var page = Encoding.UTF8.GetBytes(
                $"""<!doctype html><title>A website</title><script type="module">import * as media from "{serviceUrl}/client/media.js"; window.media = media;</script>""");
            _listener.Prefixes.Add(origin + "/");
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try { context = await _listener.GetContextAsync(); } catch (Exception) { return; }
                    context.Response.ContentType = "text/html; charset=utf-8";
                    await context.Response.OutputStream.WriteAsync(page);
                    context.Response.Close();
                }
            });
        }

        public void Dispose() => _listener.Close();
    }

    private Task<IPage> SitePageAsync(string origin) => SitePageAsync(app.Browser, origin);

    /// <summary>
    /// On the site's page: signs in and sends a 12 MiB PDF with the client's <c>uploadDirect</c>, and checks that the media
    /// made is the file (title, type, size, SHA-256) and that progress reached its end.
    /// </summary>
    internal static async Task UploadDirectFromSiteAsync(IPage page, string baseUrl)
    {
        var result = await page.EvaluateAsync<System.Text.Json.JsonElement>("""
            async ([baseUrl, password]) => {
              const client = window.media.createClient({ baseUrl });
              const { access_token } = await client.login("admin", password);
              const bytes = new Uint8Array(12 * 1024 * 1024 + 7).map((_, i) => (i * 7919) % 251);
              bytes.set([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34, 0x0a]); // %PDF-1.4
              const progress = [];
              const item = await client.uploadDirect(new File([bytes], "catalogue.pdf", { type: "application/pdf" }), { title: "Catalogue", tags: ["print"] },
                access_token, { onProgress: (p) => progress.push(p.loaded) });
              const digest = Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
              return { id: item.id, title: item.title, type: item.content_type, size: item.size, sha256: item.sha256, digest, progress: progress.at(-1) };
            }
            """, new[] { baseUrl, BrowserFixture.Password });
        Assert.Equal(("Catalogue", "application/pdf", 12L * 1024 * 1024 + 7), (result.GetProperty("title").GetString(), result.GetProperty("type").GetString(), result.GetProperty("size").GetInt64()));
        Assert.Equal(result.GetProperty("digest").GetString(), result.GetProperty("sha256").GetString());
        Assert.Equal(12L * 1024 * 1024 + 7, result.GetProperty("progress").GetInt64());
    }

    /// <summary>The site's page in a new browser context, once it has loaded the client (window.media).</summary>
    internal static async Task<IPage> SitePageAsync(IBrowser browser, string origin)
    {
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        var console = new List<string>();
        page.Console += (_, message) => console.Add(message.Text);
        page.PageError += (_, error) => console.Add(error);
        await page.GotoAsync(origin + "/");
        try
        {
            await page.WaitForFunctionAsync("() => window.media !== undefined");
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("The site's page did not load the client: " + string.Join(" | ", console));
        }
        return page;
    }

    [Fact]
    public async Task AWebsiteOnAListedOrigin_SignsIn_UploadsWithProgress_AndDeletes()
    {
        using var site = new Site(app.SiteOrigin, app.BaseUrl);
        var page = await SitePageAsync(app.SiteOrigin);
        var result = await page.EvaluateAsync<System.Text.Json.JsonElement>("""
            async ([baseUrl, password]) => {
              const client = window.media.createClient({ baseUrl });
              const { access_token } = await client.login("admin", password);
              const bytes = new Uint8Array(300_000).map((_, i) => (i * 7919) % 251);
              bytes.set([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34, 0x0a]); // %PDF-1.4: a document by its bytes
              const progress = [];
              const item = await client.uploadMedia(new File([bytes], "brochure.pdf"), { title: "Brochure" }, access_token,
                { onProgress: ({ loaded, total }) => progress.push([loaded, total]) });
              const fetched = await client.getMedia(item.id);
              await client.deleteMedia(item.id, access_token);
              return { id: item.id, title: fetched.title, type: item.content_type, progress };
            }
            """, new[] { app.BaseUrl, BrowserFixture.Password });
        Assert.Equal("Brochure", result.GetProperty("title").GetString());
        Assert.Equal("application/pdf", result.GetProperty("type").GetString());
        var progress = result.GetProperty("progress").EnumerateArray().Select(p => (p[0].GetInt64(), p[1].GetInt64())).ToList();
        Assert.NotEmpty(progress);
        Assert.Equal(progress[^1].Item2, progress[^1].Item1); // it reached the end
        Assert.True(progress[^1].Item2 >= 300_000);
    }

    [Fact]
    public async Task Uppy_OnAWebsite_UploadsInPiecesThroughTus_AndLearnsTheMediaId()
    {
        using var site = new Site(app.SiteOrigin, app.BaseUrl);
        var page = await SitePageAsync(app.SiteOrigin);
        await page.AddScriptTagAsync(new() { Content = await UppyBundle.GetAsync() });
        var requests = new List<string>();
        page.Request += (_, request) => { if (request.Url.Contains("/api/uploads", StringComparison.Ordinal)) lock (requests) requests.Add(request.Method); };
        var result = await page.EvaluateAsync<System.Text.Json.JsonElement>("""
            async ([baseUrl, password]) => {
              const { access_token } = await window.media.createClient({ baseUrl }).login("admin", password);
              const bytes = new Uint8Array(250_000).map((_, i) => (i * 7919) % 251);
              bytes.set([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34, 0x0a]); // %PDF-1.4
              let mediaId = null;
              const progress = [];
              const uppy = new window.Uppy({ autoProceed: false }).use(window.UppyTus, {
                endpoint: `${baseUrl}/api/uploads`, headers: { Authorization: `Bearer ${access_token}` }, chunkSize: 100_000, retryDelays: [],
                onAfterResponse: (_req, res) => { mediaId = res.getHeader("Media-Id") ?? mediaId; },
              });
              uppy.on("upload-progress", (_file, p) => progress.push(p.bytesUploaded));
              uppy.addFile({ name: "poster.pdf", type: "application/pdf", data: new Blob([bytes], { type: "application/pdf" }), meta: { title: "Poster", alt_text: "The autumn poster" } });
              const outcome = await uppy.upload();
              const digest = Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
              return { ok: outcome.successful.length, failed: outcome.failed.map((f) => String(f.error)), url: outcome.successful[0]?.response?.uploadURL ?? null, mediaId, progress: progress.at(-1) ?? 0, digest };
            }
            """, new[] { app.BaseUrl, BrowserFixture.Password });
        Assert.Equal((1, 0), (result.GetProperty("ok").GetInt32(), result.GetProperty("failed").GetArrayLength()));
        Assert.Matches("/api/uploads/[0-9a-f]{32}$", result.GetProperty("url").GetString());
        Assert.Equal(250_000, result.GetProperty("progress").GetInt64());
        lock (requests) Assert.Equal(["POST", "PATCH", "PATCH", "PATCH"], requests.Where(m => m != "OPTIONS"));
        // The media id came through CORS (an exposed header) from the last piece's answer.
        var id = long.Parse(result.GetProperty("mediaId").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        using var http = new HttpClient();
        using var media = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"{app.BaseUrl}/api/media/{id}", TestContext.Current.CancellationToken));
        var root = media.RootElement;
        Assert.Equal(("Poster", "The autumn poster", "poster.pdf", "application/pdf", result.GetProperty("digest").GetString()),
            (root.GetProperty("title").GetString(), root.GetProperty("alt_text").GetString(), root.GetProperty("file_name").GetString(),
                root.GetProperty("content_type").GetString(), root.GetProperty("sha256").GetString()));
    }

    [Fact]
    public async Task AWebsiteOnAnUnlistedOrigin_GetsAMediaLibraryError_NotARawTypeError()
    {
        using var site = new Site(app.StrangerOrigin, app.BaseUrl);
        var page = await SitePageAsync(app.StrangerOrigin);
        var result = await page.EvaluateAsync<System.Text.Json.JsonElement>("""
            async ([baseUrl, password]) => {
              const client = window.media.createClient({ baseUrl });
              try {
                await client.login("admin", password);
                return { name: "no error" };
              } catch (error) {
                return { name: error.name, isClientError: error instanceof window.media.MediaLibraryError, status: error.status, title: error.problem?.title };
              }
            }
            """, new[] { app.BaseUrl, BrowserFixture.Password });
        Assert.Equal("MediaLibraryError", result.GetProperty("name").GetString());
        Assert.True(result.GetProperty("isClientError").GetBoolean());
        Assert.Equal(0, result.GetProperty("status").GetInt32());
        Assert.Equal("The connection failed.", result.GetProperty("title").GetString());
    }
}
