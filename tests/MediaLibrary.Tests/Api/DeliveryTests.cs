using System.Net;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MediaLibrary.Tests.Api;

/// <summary>MEDIALIB_DELIVERY=direct: media URLs point at the bucket's public base; still one URL per version.</summary>
public sealed class S3DirectDeliveryTests(S3DirectDeliveryTests.App app) : IClassFixture<S3DirectDeliveryTests.App>
{
    public sealed class App : S3MediaLibraryApp
    {
        protected override string Delivery => "direct";
    }

    [Fact]
    public async Task Urls_ServeFromTheBucket_AndAReplaceGetsANewOne()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = await app.ClientAsync();
        var first = await client.UploadAsync(TestFiles.Png(3, 3));
        var key = await app.StorageKeyAsync(first.Id);
        Assert.EndsWith("/" + key, first.Url);
        using var outside = new HttpClient();
        Assert.Equal(TestFiles.Png(3, 3), await outside.GetByteArrayAsync(first.Url, ct));

        using var replace = await client.PutAsync($"/api/media/{first.Id}/file", TestFiles.Form(TestFiles.Png(4, 4)), ct);
        var replaced = await replace.ReadAsync<MediaLibrary.Delivery.MediaResponse>();
        Assert.NotEqual(first.Url, replaced.Url);
        Assert.Equal(TestFiles.Png(4, 4), await outside.GetByteArrayAsync(replaced.Url, ct));
        using var old = await outside.GetAsync(first.Url, ct);
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
    }

    [Fact]
    public async Task TheBucket_AnswersWithImmutableCaching_AndInline()
    {
        var ct = TestContext.Current.CancellationToken;
        var media = await (await app.ClientAsync()).UploadAsync(TestFiles.Png(6, 6));
        using var outside = new HttpClient();
        using var response = await outside.GetAsync(media.Url, ct);
        await response.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        Assert.Equal("inline", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnSvg_IsNeverHandedOutFromTheBucket_OnlyAsTheServicesSandboxedAttachment()
    {
        var ct = TestContext.Current.CancellationToken;
        var svg = System.Text.Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(document.domain)\"><rect width=\"9\" height=\"9\"/></svg>");
        var media = await (await app.ClientAsync()).UploadAsync(svg, "badge.svg");
        Assert.StartsWith("http://localhost/files/", media.Url); // not the bucket's URL
        using var response = await app.CreateClient().GetAsync(HttpExtensions.PathOf(media.Url), ct);
        await response.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Contains("sandbox", response.Headers.GetValues("Content-Security-Policy").Single());
    }
}

/// <summary>MEDIALIB_DELIVERY=presigned: /files/… redirects to a short-lived signed URL (private buckets).</summary>
public sealed class S3PresignedDeliveryTests(S3PresignedDeliveryTests.App app) : IClassFixture<S3PresignedDeliveryTests.App>
{
    public sealed class App : S3MediaLibraryApp
    {
        protected override string Delivery => "presigned";
    }

    [Fact]
    public async Task Files_RedirectToASignedUrl_ThatServesTheBytes()
    {
        var ct = TestContext.Current.CancellationToken;
        var media = await (await app.ClientAsync()).UploadAsync(TestFiles.Png(5, 5));
        Assert.StartsWith("http://localhost/files/", media.Url);
        using var noRedirects = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var response = await noRedirects.GetAsync(HttpExtensions.PathOf(media.Url), ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("X-Amz-Signature=", response.Headers.Location!.ToString());
        Assert.True(response.Headers.CacheControl!.Private);
        Assert.Equal(TimeSpan.FromMinutes(14), response.Headers.CacheControl.MaxAge);
        using var outside = new HttpClient();
        Assert.Equal(TestFiles.Png(5, 5), await outside.GetByteArrayAsync(response.Headers.Location, ct));
    }

    [Fact]
    public async Task AnSvg_IsServedByTheService_NotRedirectedToTheBucket()
    {
        var ct = TestContext.Current.CancellationToken;
        var media = await (await app.ClientAsync()).UploadAsync(TestFiles.Svg(), "logo.svg");
        using var noRedirects = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var response = await noRedirects.GetAsync(HttpExtensions.PathOf(media.Url), ct);
        await response.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(TestFiles.Svg(), await response.Content.ReadAsByteArrayAsync(ct));
    }

    [Fact]
    public async Task Derivatives_AreRenderedOnce_ThenRedirectToASignedUrlToo()
    {
        var ct = TestContext.Current.CancellationToken;
        var media = await (await app.ClientAsync()).UploadAsync(TestFiles.Jpeg(640, 480), "p.jpg");
        using var noRedirects = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var response = await noRedirects.GetAsync(HttpExtensions.PathOf(media.Variants[0].Url), ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("X-Amz-Signature=", response.Headers.Location!.ToString());
        using var outside = new HttpClient();
        var bytes = await outside.GetByteArrayAsync(response.Headers.Location, ct);
        Assert.Equal("image/webp", MediaLibrary.Media.ContentSniffer.Sniff(bytes).ContentType);
    }
}

/// <summary>Cloudinary with MEDIALIB_DELIVERY=direct: the delivery URL with the /v{version}/ of the upload response.</summary>
public sealed class CloudinaryDirectDeliveryTests(CloudinaryDirectDeliveryTests.App app) : IClassFixture<CloudinaryDirectDeliveryTests.App>
{
    public sealed class App : CloudinaryMediaLibraryApp
    {
        public App() => Set("MEDIALIB_DELIVERY", "direct");
    }

    [Fact]
    public async Task Urls_AreCloudinaryDeliveryUrls_WithTheVersionFromTheUploadResponse()
    {
        var media = await (await app.ClientAsync()).UploadAsync(TestFiles.Png(6, 6));
        var resource = app.Stub.Resources.Single(r => media.Url.EndsWith("/" + r.PublicId, StringComparison.Ordinal));
        Assert.Equal($"{app.Stub.BaseUrl}/{CloudinaryStub.Cloud}/image/upload/v{resource.Version}/{resource.PublicId}", media.Url);
        using var outside = new HttpClient();
        Assert.Equal(TestFiles.Png(6, 6), await outside.GetByteArrayAsync(media.Url, TestContext.Current.CancellationToken));
    }
}

/// <summary>Each node remembers where a version's bytes are for a few seconds; a retired version must still 404 at once.</summary>
public sealed class DeliveryLookupTests(MediaLibraryApp app) : IClassFixture<MediaLibraryApp>
{
    [Fact]
    public async Task AServedVersion_Answers404AtOnceAfterDeleteOrReplace_EvenWhileItsObjectCannotBeDeleted()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = await app.ClientAsync();
        var deleted = await client.UploadAsync(TestFiles.Png(3, 3), "a.png");
        var replaced = await client.UploadAsync(TestFiles.Png(4, 4), "b.png");
        foreach (var media in new[] { deleted, replaced })
            (await app.CreateClient().GetAsync(HttpExtensions.PathOf(media.Url), ct)).EnsureSuccessStatusCode(); // now remembered

        app.Storage.FailDeletes = true; // the old objects stay in storage, queued
        try
        {
            (await client.DeleteAsync($"/api/media/{deleted.Id}", ct)).EnsureSuccessStatusCode();
            (await client.PutAsync($"/api/media/{replaced.Id}/file", TestFiles.Form(TestFiles.Png(5, 5)), ct)).EnsureSuccessStatusCode();
            foreach (var media in new[] { deleted, replaced })
                Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync(HttpExtensions.PathOf(media.Url), ct)).StatusCode);
        }
        finally
        {
            app.Storage.FailDeletes = false;
        }
    }
}
