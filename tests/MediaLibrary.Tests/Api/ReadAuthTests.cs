using System.Net;
using MediaLibrary.Auth;
using MediaLibrary.Tests.Infrastructure;

namespace MediaLibrary.Tests.Api;

/// <summary>MEDIALIB_REQUIRE_AUTH_FOR_READS=true: every read needs a token of any role.</summary>
public sealed class ReadAuthTests(ReadAuthTests.App app) : IClassFixture<ReadAuthTests.App>
{
    public sealed class App : MediaLibraryApp
    {
        public App() => Set("MEDIALIB_REQUIRE_AUTH_FOR_READS", "true");
    }

    [Fact]
    public async Task Reads_WithoutToken_Return401_WithViewerToken_Return200()
    {
        var ct = TestContext.Current.CancellationToken;
        var media = await (await app.ClientAsync(Roles.Editor)).UploadAsync(TestFiles.Png(2, 2));
        var anonymous = app.CreateClient();
        var viewer = await app.ClientAsync(Roles.Viewer);

        foreach (var path in new[] { "/api/media", $"/api/media/{media.Id}", HttpExtensions.PathOf(media.Url) })
        {
            using var denied = await anonymous.GetAsync(path, ct);
            await denied.ProblemAsync(HttpStatusCode.Unauthorized);
            using var allowed = await viewer.GetAsync(path, ct);
            await allowed.ShouldBe(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task Files_AndVariants_WhenReadsNeedAToken_MayBeKeptOnlyByTheReadersOwnCache()
    {
        var ct = TestContext.Current.CancellationToken;
        var media = await (await app.ClientAsync(Roles.Editor)).UploadAsync(TestFiles.Jpeg(600, 400), "private.jpg");
        var viewer = await app.ClientAsync(Roles.Viewer);

        Assert.NotEmpty(media.Variants);
        foreach (var url in media.Variants.Select(v => v.Url).Prepend(media.Url))
        {
            using var response = await viewer.GetAsync(HttpExtensions.PathOf(url), ct);
            await response.ShouldBe(HttpStatusCode.OK);
            // A shared cache (CDN, proxy) must not store it: it would serve an authorised answer to anyone.
            var cacheControl = response.Headers.CacheControl!;
            Assert.True(cacheControl.Private);
            Assert.False(cacheControl.Public);
            Assert.Equal(TimeSpan.FromDays(365), cacheControl.MaxAge);
            Assert.Contains(cacheControl.Extensions, e => e.Name == "immutable");
        }
    }
}
