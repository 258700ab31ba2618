using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using MediaLibrary.Auth;
using MediaLibrary.Tests.Infrastructure;
using MediaLibrary.Tests.Process;
using Microsoft.Playwright;

namespace MediaLibrary.Tests.Browser;

/// <summary>The service on S3 with MEDIALIB_DELIVERY=direct: files come from the bucket's own URLs.</summary>
public sealed class DirectDeliveryFixture : BrowserFixture
{
    public string Bucket { get; private set; } = "";
    public string Endpoint { get; private set; } = "";

    protected override async Task<Dictionary<string, string?>> MoreSettingsAsync()
    {
        var s3 = await S3Server.GetAsync();
        (Bucket, Endpoint) = (await s3.CreateBucketAsync(), s3.Endpoint);
        return new()
        {
            ["MEDIALIB_STORAGE"] = "s3", ["MEDIALIB_S3_ENDPOINT"] = Endpoint, ["MEDIALIB_S3_BUCKET"] = Bucket,
            ["MEDIALIB_S3_ACCESS_KEY"] = S3Server.AccessKey, ["MEDIALIB_S3_SECRET_KEY"] = S3Server.SecretKey,
            ["MEDIALIB_S3_FORCE_PATH_STYLE"] = "true", ["MEDIALIB_DELIVERY"] = "direct", ["MEDIALIB_PUBLIC_BASE_URL"] = $"{Endpoint}/{Bucket}",
        };
    }

    public AmazonS3Client S3() => new(new BasicAWSCredentials(S3Server.AccessKey, S3Server.SecretKey),
        new AmazonS3Config { ServiceURL = Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
}

public sealed class DirectDeliveryTests(DirectDeliveryFixture app) : IClassFixture<DirectDeliveryFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A loopback server that counts the requests a script makes to it: proof that the script ran.</summary>
    private sealed class Beacon : IDisposable
    {
        private readonly HttpListener _listener = new();
        private int _hits;

        public Beacon()
        {
            Url = $"http://localhost:{Ports.Free()}/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try { context = await _listener.GetContextAsync(); } catch (Exception) { return; }
                    Interlocked.Increment(ref _hits);
                    context.Response.Close();
                }
            });
        }

        public string Url { get; }
        public int Hits => Volatile.Read(ref _hits);

        public void Dispose() => _listener.Close();
    }

    private static byte[] Svg(Beacon beacon) => Encoding.UTF8.GetBytes(
        $$"""<svg xmlns="http://www.w3.org/2000/svg" onload="fetch('{{beacon.Url}}ran', { mode: 'no-cors' })"><rect width="9" height="9"/></svg>""");

    /// <summary>Opens the URL as a visitor would (a download ends the navigation early) and gives a script time to run.</summary>
    private async Task VisitAsync(string url)
    {
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true });
        var page = await context.NewPageAsync();
        try
        {
            await page.GotoAsync(url, new PageGotoOptions { Timeout = 10_000 });
        }
        catch (PlaywrightException)
        {
            // "Download is starting": the browser saved the file instead of showing it.
        }
        await Task.Delay(1000, Ct);
        await context.CloseAsync();
    }

    [Fact]
    public async Task AnSvgWithAScript_RunsNothing_AtItsMediaUrl_NorAtItsObjectsOwnBucketUrl()
    {
        using var beacon = new Beacon();
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        using (var token = await http.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = BrowserFixture.Password }, Ct))
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await token.ReadAsync<TokenResponse>()).AccessToken);
        using var s3 = app.S3();
        async Task<List<string>> KeysAsync() =>
            (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = app.Bucket }, Ct)).S3Objects?.Select(o => o.Key).ToList() ?? [];
        var before = await KeysAsync(); // other tests of this class store in the same bucket
        var media = await http.UploadAsync(Svg(beacon), "badge.svg");
        Assert.Equal("image/svg+xml", media.ContentType);
        var key = Assert.Single((await KeysAsync()).Except(before));

        // The control: the same bytes put in the bucket by hand, inline, as the service wrote objects before. Its script
        // runs, so the beacon would see one that ran.
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = app.Bucket, Key = "control.svg", ContentType = "image/svg+xml", InputStream = new MemoryStream(Svg(beacon)),
            UseChunkEncoding = false,
        }, Ct);
        await VisitAsync($"{app.Endpoint}/{app.Bucket}/control.svg");
        Assert.True(beacon.Hits > 0, "the control SVG's script did not run: the test cannot see a script that runs");
        var afterControl = beacon.Hits;

        // The media URL the API gives (the service's, for SVG even in direct delivery) and the object's own URL in the bucket.
        Assert.StartsWith(app.BaseUrl + "/files/", media.Url);
        await VisitAsync(media.Url);
        await VisitAsync($"{app.Endpoint}/{app.Bucket}/{key}");
        Assert.Equal(afterControl, beacon.Hits);
    }

    [Fact]
    public async Task TheClient_OnAWebsite_UploadsStraightToTheBucket_AndTheServiceChecksTheFile()
    {
        // The bucket lets the website's origin PUT parts and read each part's ETag, as README says to configure it.
        using (var s3 = app.S3())
            await s3.PutCORSConfigurationAsync(new PutCORSConfigurationRequest
            {
                BucketName = app.Bucket,
                Configuration = new CORSConfiguration
                {
                    Rules = [new CORSRule { AllowedOrigins = [app.SiteOrigin], AllowedMethods = ["PUT"], AllowedHeaders = ["*"], ExposeHeaders = ["ETag"] }],
                },
            }, Ct);
        using var site = new CrossOriginTests.Site(app.SiteOrigin, app.BaseUrl);
        var page = await CrossOriginTests.SitePageAsync(app.Browser, app.SiteOrigin);
        var sent = new List<string>();
        page.Request += (_, request) => { lock (sent) sent.Add($"{request.Method} {new Uri(request.Url).GetLeftPart(UriPartial.Authority)}"); };
        await CrossOriginTests.UploadDirectFromSiteAsync(page, app.BaseUrl);
        // Two parts of 8 MiB (MEDIALIB_S3_PART_SIZE_MB) went to the bucket; the service saw the beginning and the end only.
        var bucket = new Uri(app.Endpoint).GetLeftPart(UriPartial.Authority);
        var service = new Uri(app.BaseUrl).GetLeftPart(UriPartial.Authority);
        lock (sent)
        {
            Assert.Equal(2, sent.Count(r => r == $"PUT {bucket}"));
            Assert.Equal(3, sent.Count(r => r == $"POST {service}")); // sign in, begin, complete
            Assert.DoesNotContain(sent, r => r is var x && (x.StartsWith("PUT " + service, StringComparison.Ordinal) || x.StartsWith("PATCH " + service, StringComparison.Ordinal)));
        }
    }
}
