using System.Net;
using System.Net.Http.Headers;
using MediaLibrary.Delivery;
using MediaLibrary.Media;
using MediaLibrary.Tests.Infrastructure;

namespace MediaLibrary.Tests.Api;

public abstract partial class ApiTests
{
    [Fact]
    public async Task File_IsServedWithStoredTypeETagImmutableCachingAndSafeDisposition()
    {
        var bytes = TestFiles.Png(10, 10);
        var media = await (await App.ClientAsync()).UploadAsync(bytes, "Ünïcode \"quoted\" name.png");
        using var response = await App.CreateClient().GetAsync(HttpExtensions.PathOf(media.Url), Ct);
        await response.ShouldBe(HttpStatusCode.OK);

        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(FileDelivery.ImmutableCacheControl, response.Headers.CacheControl!.ToString());
        Assert.Equal($"\"{media.Sha256}\"", response.Headers.ETag!.Tag);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("bytes", response.Headers.AcceptRanges.Single());
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("inline", disposition.DispositionType);
        Assert.Equal("Ünïcode _quoted_ name.png", disposition.FileNameStar);
        Assert.DoesNotContain("\r", response.Content.Headers.GetValues("Content-Disposition").Single());
    }

    [Fact]
    public async Task File_RangeRequest_Returns206WithThatSlice()
    {
        var bytes = TestFiles.Pdf().Concat(TestFiles.Random(10_000)).ToArray();
        var media = await (await App.ClientAsync()).UploadAsync(bytes, "doc.pdf");
        using var request = new HttpRequestMessage(HttpMethod.Get, HttpExtensions.PathOf(media.Url));
        request.Headers.Range = new RangeHeaderValue(100, 199);
        using var response = await App.CreateClient().SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(bytes[100..200], await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal($"bytes 100-199/{bytes.Length}", response.Content.Headers.ContentRange!.ToString());

        using var unsatisfiable = new HttpRequestMessage(HttpMethod.Get, HttpExtensions.PathOf(media.Url));
        unsatisfiable.Headers.Range = new RangeHeaderValue(bytes.Length + 10, null);
        using var tooFar = await App.CreateClient().SendAsync(unsatisfiable, Ct);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, tooFar.StatusCode);
    }

    [Fact]
    public async Task File_IfNoneMatch_Returns304_AndHeadHasNoBody()
    {
        var media = await (await App.ClientAsync()).UploadAsync(TestFiles.Png(3, 3));
        using var request = new HttpRequestMessage(HttpMethod.Get, HttpExtensions.PathOf(media.Url));
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{media.Sha256}\""));
        using var response = await App.CreateClient().SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);

        using var head = await App.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Head, HttpExtensions.PathOf(media.Url)), Ct);
        await head.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(media.Size, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task File_WrongVersionOrId_Returns404()
    {
        var media = await (await App.ClientAsync()).UploadAsync(TestFiles.Png(3, 3), "a.png");
        using var wrongVersion = await App.CreateClient().GetAsync($"/files/{media.Id}/v2/a.png", Ct);
        await wrongVersion.ProblemAsync(HttpStatusCode.NotFound);
        using var wrongId = await App.CreateClient().GetAsync("/files/99999999/v1/a.png", Ct);
        await wrongId.ProblemAsync(HttpStatusCode.NotFound);
        // An <img>'s request accepts only images: it still gets the problem every client gets, trace id and all, and so
        // does a bad transform's 400.
        foreach (var (url, status) in new[] { ($"/files/{media.Id}/v2/a.png", HttpStatusCode.NotFound), ($"/files/{media.Id}/v1/w_7x/a.png", HttpStatusCode.BadRequest) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { { "Accept", "image/avif,image/webp" } } };
            using var imageOnly = await App.CreateClient().SendAsync(request, Ct);
            Assert.Equal(url, (await imageOnly.ProblemAsync(status)).GetProperty("instance").GetString());
        }
        // The name segment is cosmetic: it never selects a file.
        using var otherName = await App.CreateClient().GetAsync($"/files/{media.Id}/v1/..%2F..%2Fetc%2Fpasswd", Ct);
        await otherName.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(TestFiles.Png(3, 3), await otherName.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task File_Svg_IsAnAttachmentUnderASandboxPolicy()
    {
        var media = await (await App.ClientAsync()).UploadAsync(TestFiles.Svg(), "icon.svg");
        Assert.Equal("image/svg+xml", media.ContentType);
        using var response = await App.CreateClient().GetAsync(HttpExtensions.PathOf(media.Url), Ct);
        await response.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Contains("sandbox", response.Headers.GetValues("Content-Security-Policy").Single());
    }
}
