using MediaLibrary.Tests.Infrastructure;

namespace MediaLibrary.Tests.Browser;

/// <summary>The client on a website uploads straight to Cloudinary with the fields the service signed, in Chromium.</summary>
public sealed class CloudinaryDirectUploadBrowserTests(CloudinaryBrowserFixture app) : IClassFixture<CloudinaryBrowserFixture>
{
    [Fact]
    public async Task TheClient_OnAWebsite_SendsTheFileToCloudinaryInChunks_AndTheServiceChecksIt()
    {
        using var site = new CrossOriginTests.Site(app.SiteOrigin, app.BaseUrl);
        var page = await CrossOriginTests.SitePageAsync(app.Browser, app.SiteOrigin);
        var sent = new List<string>();
        page.Request += (_, request) => { lock (sent) sent.Add($"{request.Method} {new Uri(request.Url).GetLeftPart(UriPartial.Authority)}"); };
        await CrossOriginTests.UploadDirectFromSiteAsync(page, app.BaseUrl);
        // Three chunks of 5 MiB (CLOUDINARY_CHUNK_SIZE_MB) went to Cloudinary as one chunked upload; the service saw no byte.
        Assert.Equal(1, app.Stub.ChunkedUploads);
        var cloudinary = new Uri(app.Stub.BaseUrl).GetLeftPart(UriPartial.Authority);
        var service = new Uri(app.BaseUrl).GetLeftPart(UriPartial.Authority);
        lock (sent)
        {
            Assert.Equal(3, sent.Count(r => r == $"POST {cloudinary}"));
            Assert.Equal(3, sent.Count(r => r == $"POST {service}")); // sign in, begin, complete
            Assert.DoesNotContain(sent, r => r.StartsWith("PUT ", StringComparison.Ordinal) || r.StartsWith("PATCH ", StringComparison.Ordinal));
        }
    }
}
