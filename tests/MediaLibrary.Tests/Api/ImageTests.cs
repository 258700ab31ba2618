using System.Net;
using System.Net.Http.Json;
using System.Text;
using MediaLibrary.Auth;
using MediaLibrary.Delivery;
using MediaLibrary.Media;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NetVips;

namespace MediaLibrary.Tests.Api;

/// <summary>
/// Images through libvips, end to end: facts at upload, derivatives at versioned URLs, presets and signatures,
/// floods and broken files, and derivative cleanup on replace and delete. Run on every storage and on PostgreSQL.
/// </summary>
public abstract class ImageTests(MediaLibraryApp app)
{
    /// <summary>Lower limits than the defaults, so that floods are cheap to build.</summary>
    public static void Configure(Action<string, string?> set)
    {
        set("MEDIALIB_MAX_PIXELS", "4000000");
        set("MEDIALIB_MAX_ANIMATION_PIXELS", "1000000");
        set("MEDIALIB_MAX_UPLOAD_BYTES", (8 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    protected MediaLibraryApp App { get; } = app;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Upload_Jpeg_KeepsFactsAndListsVariantsUpToItsWidth()
    {
        var media = await (await App.ClientAsync()).UploadAsync(TestFiles.Jpeg(1600, 1200), "photo.jpg");

        Assert.Equal((1600, 1200), (media.Width, media.Height));
        Assert.False(media.HasAlpha);
        Assert.Matches("^#[0-9a-f]{6}$", media.DominantColor!);
        Assert.StartsWith("data:image/webp;base64,", media.Placeholder);
        using (var tiny = Image.NewFromBuffer(Convert.FromBase64String(media.Placeholder!["data:image/webp;base64,".Length..])))
            Assert.True(tiny.Width <= 16 && tiny.Height <= 16, $"placeholder is {tiny.Width}x{tiny.Height}");
        Assert.True(media.Placeholder!.Length < 400, $"placeholder is {media.Placeholder.Length} characters");

        Assert.Equal([(320, 240), (640, 480), (1024, 768), (1600, 1200)], media.Variants.Select(v => (v.Width, v.Height)));
        Assert.All(media.Variants, v => Assert.Equal("webp", v.Format));
        Assert.Equal($"http://localhost/files/{media.Id}/v1/w_320,f_webp/photo.webp", media.Variants[0].Url);
        Assert.Equal($"http://localhost/files/{media.Id}/v1/w_1920,f_webp/photo.webp", media.Variants[3].Url);
    }

    [Fact]
    public async Task Upload_SolidPng_HasItsColourAsDominant_AndAlphaIsReported()
    {
        var client = await App.ClientAsync();
        var red = await client.UploadAsync(TestFiles.Png(40, 30, 200, 40, 40), "red.png");
        Assert.Equal("#c82828", red.DominantColor);
        Assert.False(red.HasAlpha);
        Assert.Equal([(40, 30)], red.Variants.Select(v => (v.Width, v.Height))); // never wider than the original

        var withAlpha = await client.UploadAsync(Encode(Image.Black(50, 50, bands: 4), ".png"), "alpha.png");
        Assert.True(withAlpha.HasAlpha);
    }

    [Fact]
    public async Task Variants_RenderAtTheListedSize_OnceEach_AndAreCachedForever()
    {
        var client = await App.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Jpeg(1000, 667), "odd.jpg");
        var anonymous = App.CreateClient();
        foreach (var variant in media.Variants)
        {
            using var response = await anonymous.GetAsync(HttpExtensions.PathOf(variant.Url), Ct);
            await response.ShouldBe(HttpStatusCode.OK);
            Assert.Equal("image/webp", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal(FileDelivery.ImmutableCacheControl, response.Headers.CacheControl!.ToString());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.NotNull(response.Headers.ETag);
            using var image = Image.NewFromBuffer(await response.Content.ReadAsByteArrayAsync(Ct));
            Assert.Equal((variant.Width, variant.Height), (image.Width, image.Height));
        }
        var storedBefore = App.StoredKeys();
        using (var again = await anonymous.GetAsync(HttpExtensions.PathOf(media.Variants[0].Url), Ct))
        {
            await again.ShouldBe(HttpStatusCode.OK);
            using var conditional = new HttpRequestMessage(HttpMethod.Get, HttpExtensions.PathOf(media.Variants[0].Url));
            conditional.Headers.IfNoneMatch.Add(again.Headers.ETag!);
            using var notModified = await anonymous.SendAsync(conditional, Ct);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }
        Assert.Equal(storedBefore, App.StoredKeys());
        var rows = await App.WithDbAsync(db => db.Derivatives.Where(d => d.MediaId == media.Id).ToListAsync());
        Assert.Equal(media.Variants.Count, rows.Count);
        Assert.All(rows, r => Assert.True(r.Ready));
        Assert.Equal(await App.ReferencedKeysAsync(), App.StoredKeys());
    }

    [Theory]
    [InlineData("jpeg", "image/jpeg", "jpegload")]
    [InlineData("png", "image/png", "pngload")]
    [InlineData("webp", "image/webp", "webpload")]
    [InlineData("avif", "image/avif", "heifload")]
    public async Task Formats_AreRenderedAsAsked(string format, string contentType, string loader)
    {
        var media = await (await App.ClientAsync()).UploadAsync(TestFiles.Jpeg(800, 600, seed: 3), "f.jpg");
        using var response = await App.CreateClient().GetAsync($"/files/{media.Id}/v1/w_320,f_{format}/f.{format}", Ct);
        await response.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(contentType, ContentSniffer.Sniff(bytes).ContentType);
        using var image = Image.NewFromBuffer(bytes);
        Assert.StartsWith(loader, (string)image.Get("vips-loader"));
        Assert.Equal((320, 240), (image.Width, image.Height));
        Assert.DoesNotContain("Accept", response.Headers.Vary);
    }

    [Theory]
    [InlineData("image/avif,image/webp,image/apng,*/*;q=0.8", false, "image/avif")]
    [InlineData("image/webp,*/*", false, "image/webp")]
    [InlineData("image/avif;q=0,image/webp", false, "image/webp")]
    [InlineData("*/*", false, "image/jpeg")]
    [InlineData("*/*", true, "image/png")]
    public async Task AutoFormat_FollowsAccept_AndVariesOnIt(string accept, bool alpha, string expected)
    {
        var file = alpha ? Encode(Image.Black(200, 100, bands: 4), ".png") : TestFiles.Jpeg(200, 100, seed: 5);
        var media = await (await App.ClientAsync()).UploadAsync(file, alpha ? "a.png" : "a.jpg");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/files/{media.Id}/v1/w_320,f_auto/a");
        request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await App.CreateClient().SendAsync(request, Ct);
        await response.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(expected, response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Accept", response.Headers.Vary);
        Assert.Equal(expected, ContentSniffer.Sniff(await response.Content.ReadAsByteArrayAsync(Ct)).ContentType);
    }

    [Theory]
    [InlineData("w_500,f_webp", 403)]            // not a configured width
    [InlineData("w_320,q_50,f_webp", 400)]       // not the canonical order
    [InlineData("w_320", 400)]                   // no format
    [InlineData("w_320,f_gif", 400)]             // not an output format
    [InlineData("w_0320,f_webp", 400)]           // one spelling per number
    [InlineData("w_99999,f_webp", 400)]          // over MEDIALIB_IMAGE_MAX_DIMENSION
    [InlineData("w_320,f_webp,s_AAAAAAAAAAAAAAAAAAAAAA", 403)] // a signature that is not ours
    [InlineData("../original,f_webp", 400)]
    public async Task Transforms_OutsideThePresets_AreRefusedWithAProblem(string transform, int status)
    {
        var media = await (await App.ClientAsync()).UploadAsync(TestFiles.Jpeg(600, 400, seed: 7), "t.jpg");
        var before = App.StoredKeys();
        using var response = await App.CreateClient().GetAsync($"/files/{media.Id}/v1/{Uri.EscapeDataString(transform)}/t.jpg", Ct);
        var problem = await response.ProblemAsync((HttpStatusCode)status);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        Assert.Equal(before, App.StoredKeys());
    }

    [Fact]
    public async Task SignedTransforms_RenderAnySize_AndNeedAnEditorToSign()
    {
        var editor = await App.ClientAsync();
        var media = await editor.UploadAsync(TestFiles.Jpeg(1200, 800, seed: 9), "s.jpg");

        using var signResponse = await editor.PostAsJsonAsync("/api/images/sign", new { width = 200, height = 200, fit = "cover", format = "jpeg", quality = 60 }, Ct);
        await signResponse.ShouldBe(HttpStatusCode.OK);
        var transform = (await signResponse.ReadAsync<MediaLibrary.Imaging.SignTransformResponse>()).Transform;
        Assert.Matches("^w_200,h_200,fit_cover,f_jpeg,q_60,s_[A-Za-z0-9_-]{22}$", transform);
        using (var response = await App.CreateClient().GetAsync($"/files/{media.Id}/v1/{transform}/s.jpg", Ct))
        {
            await response.ShouldBe(HttpStatusCode.OK);
            using var image = Image.NewFromBuffer(await response.Content.ReadAsByteArrayAsync(Ct));
            Assert.Equal((200, 200), (image.Width, image.Height));
        }

        // The signature covers every part: the same signature on another size is refused.
        var tampered = transform.Replace("w_200,h_200", "w_2000,h_2000", StringComparison.Ordinal);
        using (var response = await App.CreateClient().GetAsync($"/files/{media.Id}/v1/{tampered}/s.jpg", Ct))
            await response.ProblemAsync(HttpStatusCode.Forbidden);

        using (var contain = await editor.PostAsJsonAsync("/api/images/sign", new { width = 300, height = 300, fit = "contain", format = "png" }, Ct))
        {
            var signed = (await contain.ReadAsync<MediaLibrary.Imaging.SignTransformResponse>()).Transform;
            using var response = await App.CreateClient().GetAsync($"/files/{media.Id}/v1/{signed}/s.png", Ct);
            await response.ShouldBe(HttpStatusCode.OK);
            using var image = Image.NewFromBuffer(await response.Content.ReadAsByteArrayAsync(Ct));
            Assert.Equal((300, 300, 4), (image.Width, image.Height, image.Bands)); // letterboxed on transparency
        }

        using (var bad = await editor.PostAsJsonAsync("/api/images/sign", new { width = 100, fit = "cover", format = "webp" }, Ct))
            Assert.Contains("fit_cover needs both", (await bad.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("transform")[0].GetString());
        using (var viewer = await (await App.ClientAsync(Roles.Viewer)).PostAsJsonAsync("/api/images/sign", new { width = 100, format = "webp" }, Ct))
            Assert.Equal(HttpStatusCode.Forbidden, viewer.StatusCode);
        using (var anonymous = await App.CreateClient().PostAsJsonAsync("/api/images/sign", new { width = 100, format = "webp" }, Ct))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task ExifOrientation_IsApplied_AndMetadataNeverLeaks()
    {
        using var source = TestFilesImage(400, 200);
        using var tagged = source.Mutate(m =>
        {
            m.Set(GValue.GIntType, "orientation", 6);
            m.Set(GValue.GStrType, "exif-ifd0-Artist", "Secret Photographer");
            m.Set(GValue.GStrType, "exif-ifd0-ImageDescription", "GPS 51.5007 -0.1246 home address");
        });
        var bytes = tagged.JpegsaveBuffer(q: 90, keep: Enums.ForeignKeep.All);
        Assert.Contains("Secret Photographer", Encoding.Latin1.GetString(bytes)); // the original carries it

        var client = await App.ClientAsync();
        using var upload = await client.PostAsync("/api/media", TestFiles.Form(bytes, "rotated.jpg"), Ct);
        await upload.ShouldBe(HttpStatusCode.Created);
        var json = await upload.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("Secret", json);
        Assert.DoesNotContain("GPS", json);
        var media = await upload.ReadAsync<MediaResponse>();
        Assert.Equal((200, 400), (media.Width, media.Height)); // as displayed: rotated a quarter turn

        foreach (var format in new[] { "jpeg", "webp", "png", "avif" })
        {
            using var response = await App.CreateClient().GetAsync($"/files/{media.Id}/v1/w_320,f_{format}/r", Ct);
            await response.ShouldBe(HttpStatusCode.OK);
            var derivative = await response.Content.ReadAsByteArrayAsync(Ct);
            Assert.DoesNotContain("Secret", Encoding.Latin1.GetString(derivative));
            Assert.DoesNotContain("Exif", Encoding.Latin1.GetString(derivative));
            using var image = Image.NewFromBuffer(derivative);
            Assert.Equal((200, 400), (image.Width, image.Height));
            Assert.False(image.Contains("exif-data"), $"{format} derivative has EXIF");
        }
    }

    [Theory]
    [InlineData("jpeg")]
    [InlineData("png")]
    [InlineData("webp")]
    [InlineData("garbage-after-png-header")]
    public async Task BrokenImages_Return422_StoreNothing_AndTheServiceCarriesOn(string kind)
    {
        var whole = TestFiles.Jpeg(640, 480, seed: 11);
        var bytes = kind switch
        {
            "jpeg" => whole[..(whole.Length / 2)],
            "png" => TestFiles.Png(300, 300)[..400],
            "webp" => Encode(TestFilesImage(300, 300), ".webp")[..200],
            _ => [.. TestFiles.Png(1, 1)[..33], .. TestFiles.Random(5000)],
        };
        var client = await App.ClientAsync();
        var before = App.StoredKeys();
        using var response = await client.PostAsync("/api/media", TestFiles.Form(bytes, "broken.img"), Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("The image cannot be decoded.", problem.GetProperty("title").GetString());
        Assert.Equal(before, App.StoredKeys());
        Assert.Empty(await App.WithDbAsync(db => db.Media.Where(m => m.FileName == "broken.img").ToListAsync()));

        // Alive and well: the next upload works.
        var good = await client.UploadAsync(TestFiles.Png(8, 8), "after.png");
        Assert.Equal(8, good.Width);
    }

    [Fact]
    public async Task PixelFloods_AreRefusedFromTheLibvipsHeader_ForFormatsTheSnifferDoesNotMeasure()
    {
        var client = await App.ClientAsync();
        var before = App.StoredKeys();
        // TIFF: no dimensions from the sniffer; libvips reads them from the header before decoding. 2100×2000 > 4 MP.
        var tiff = Image.Black(2100, 2000).TiffsaveBuffer(compression: Enums.ForeignTiffCompression.Deflate);
        using (var response = await client.PostAsync("/api/media", TestFiles.Form(tiff, "big.tif"), Ct))
            Assert.Contains("MEDIALIB_MAX_PIXELS", (await response.ProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("detail").GetString());

        // An animation: 120 frames of 100×100 is 1.2 MP of frames, over MEDIALIB_MAX_ANIMATION_PIXELS (1 MP).
        using var rows = Image.Xyz(100, 100 * 120)[1];
        using var strip = (rows * 3 % 256).Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Bw); // every frame differs
        using var frames = strip.Mutate(m => m.Set(GValue.GIntType, "page-height", 100));
        var gif = frames.GifsaveBuffer();
        using (var response = await client.PostAsync("/api/media", TestFiles.Form(gif, "long.gif"), Ct))
        {
            var problem = await response.ProblemAsync(HttpStatusCode.UnprocessableEntity);
            Assert.Equal(120, problem.GetProperty("frames").GetInt32());
            Assert.Contains("MEDIALIB_MAX_ANIMATION_PIXELS", problem.GetProperty("detail").GetString());
        }
        Assert.Equal(before, App.StoredKeys());

        // A short animation is fine, and its derivatives show the first frame.
        using var shortStrip = Image.Black(100, 100 * 5).Copy(interpretation: Enums.Interpretation.Bw);
        using var shortFrames = shortStrip.Mutate(m => m.Set(GValue.GIntType, "page-height", 100));
        var media = await client.UploadAsync(shortFrames.GifsaveBuffer(), "short.gif");
        Assert.Equal((100, 100), (media.Width, media.Height));
        using var derivative = await App.CreateClient().GetAsync(HttpExtensions.PathOf(media.Variants[0].Url), Ct);
        await derivative.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Svg_IsNeverRasterised_AndHasNoVariants()
    {
        var media = await (await App.ClientAsync()).UploadAsync(TestFiles.Svg(), "icon.svg");
        Assert.Empty(media.Variants);
        Assert.Null(media.Placeholder);
        var before = App.StoredKeys();
        using var response = await App.CreateClient().GetAsync($"/files/{media.Id}/v1/w_320,f_png/icon.png", Ct);
        await response.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(before, App.StoredKeys());
        using var original = await App.CreateClient().GetAsync(HttpExtensions.PathOf(media.Url), Ct);
        Assert.Equal("attachment", original.Content.Headers.ContentDisposition!.DispositionType);
        Assert.StartsWith("default-src 'none'", original.Headers.GetValues("Content-Security-Policy").Single());
        Assert.EndsWith("sandbox", original.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Replace_RemovesEveryDerivative_AndTheNewVersionRendersTheNewPixels()
    {
        var client = await App.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Png(400, 300, 250, 0, 0), "swap.png");
        var oldUrls = media.Variants.Select(v => v.Url).Append($"http://localhost/files/{media.Id}/v1/w_320,f_jpeg/swap.jpg").ToList();
        foreach (var url in oldUrls)
            (await App.CreateClient().GetAsync(HttpExtensions.PathOf(url), Ct)).EnsureSuccessStatusCode();
        Assert.Equal(3, (await App.WithDbAsync(db => db.Derivatives.CountAsync(d => d.MediaId == media.Id))));
        var oldPrefix = await KeyPrefixAsync(media.Id);
        Assert.Equal(4, App.StoredKeys().Count(k => k.Contains(oldPrefix, StringComparison.Ordinal)));

        using var replace = await client.PutAsync($"/api/media/{media.Id}/file", TestFiles.Form(TestFiles.Png(400, 300, 0, 0, 250), "swap.png"), Ct);
        await replace.ShouldBe(HttpStatusCode.OK);
        var replaced = await replace.ReadAsync<MediaResponse>();

        Assert.Equal(0, await App.WithDbAsync(db => db.Derivatives.CountAsync(d => d.MediaId == media.Id)));
        Assert.DoesNotContain(App.StoredKeys(), k => k.Contains(oldPrefix, StringComparison.Ordinal));
        var newPrefix = await KeyPrefixAsync(media.Id);
        Assert.Equal([await App.StorageKeyAsync(media.Id)], App.StoredKeys().Where(k => k.Contains(newPrefix, StringComparison.Ordinal)));
        foreach (var url in oldUrls)
            Assert.Equal(HttpStatusCode.NotFound, (await App.CreateClient().GetAsync(HttpExtensions.PathOf(url), Ct)).StatusCode);

        using var fresh = await App.CreateClient().GetAsync(HttpExtensions.PathOf(replaced.Variants[0].Url), Ct);
        using var image = Image.NewFromBuffer(await fresh.Content.ReadAsByteArrayAsync(Ct));
        Assert.True(image[2].Avg() > 200 && image[0].Avg() < 50, "the new, blue pixels");
        Assert.Equal(await App.ReferencedKeysAsync(), App.StoredKeys());
    }

    [Fact]
    public async Task Delete_RemovesTheOriginalAndEveryDerivative()
    {
        var client = await App.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Jpeg(700, 500, seed: 13), "gone.jpg");
        foreach (var variant in media.Variants)
            (await App.CreateClient().GetAsync(HttpExtensions.PathOf(variant.Url), Ct)).EnsureSuccessStatusCode();
        var prefix = await KeyPrefixAsync(media.Id);
        Assert.Equal(1 + media.Variants.Count, App.StoredKeys().Count(k => k.Contains(prefix, StringComparison.Ordinal)));

        (await client.DeleteAsync($"/api/media/{media.Id}", Ct)).EnsureSuccessStatusCode();

        Assert.DoesNotContain(App.StoredKeys(), k => k.Contains(prefix, StringComparison.Ordinal));
        Assert.Equal(0, await App.WithDbAsync(db => db.Derivatives.CountAsync(d => d.MediaId == media.Id)));
        Assert.Equal(0, await App.WithDbAsync(db => db.PendingDeletions.CountAsync(p => p.MediaId == media.Id)));
        foreach (var variant in media.Variants)
            Assert.Equal(HttpStatusCode.NotFound, (await App.CreateClient().GetAsync(HttpExtensions.PathOf(variant.Url), Ct)).StatusCode);
    }

    [Fact]
    public async Task ConcurrentRequests_ForOneDerivative_ShareOneRender()
    {
        var media = await (await App.ClientAsync()).UploadAsync(TestFiles.Jpeg(1600, 1200, seed: 17), "busy.jpg");
        var url = HttpExtensions.PathOf(media.Variants[2].Url);
        var before = App.StoredKeys().Count;
        var bodies = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            using var response = await App.CreateClient().GetAsync(url, Ct);
            await response.ShouldBe(HttpStatusCode.OK);
            return Convert.ToHexString(await response.Content.ReadAsByteArrayAsync(Ct));
        }));
        Assert.Single(bodies.Distinct());
        Assert.Equal(before + 1, App.StoredKeys().Count);
        Assert.Single(App.Logs.GetSnapshot(), r => r.Message.StartsWith("Stored derivative w_1024,f_webp of media " + media.Id + " ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RendersRacingDeletesAndReplaces_LeaveNoOrphans()
    {
        var client = await App.ClientAsync();
        for (var round = 0; round < 6; round++)
        {
            var media = await client.UploadAsync(TestFiles.Jpeg(900, 600, seed: round), $"race{round}.jpg");
            var renders = media.Variants.Select(async v =>
            {
                using var response = await App.CreateClient().GetAsync(HttpExtensions.PathOf(v.Url), Ct);
                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound,
                    $"render answered {response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}; {string.Join(" | ", App.Logs.GetSnapshot().Where(r => r.Level >= LogLevel.Warning).Select(r => r.Message + " " + r.Exception?.GetType().Name + " " + r.Exception?.Message))}");
            }).ToList();
            Task change = round % 2 == 0
                ? client.DeleteAsync($"/api/media/{media.Id}", Ct)
                : client.PutAsync($"/api/media/{media.Id}/file", TestFiles.Form(TestFiles.Jpeg(300, 200, seed: 99), "new.jpg"), Ct);
            await Task.WhenAll([.. renders, change]);
        }
        var waiting = await App.WithDbAsync(db => db.PendingDeletions.AsNoTracking().ToListAsync());
        Assert.True(waiting.Count == 0, "waiting: " + string.Join(" | ", waiting.Select(p => $"{p.Reason} {p.Status} attempts={p.Attempts} lease={p.LeaseUntil:o} next={p.NextAttemptAt:o} {p.StorageKey} {p.LastError}")));
        Assert.Equal(await App.ReferencedKeysAsync(), App.StoredKeys());
    }

    [Fact]
    public async Task StorageFailure_WhileStoringADerivative_Returns503_AndTheNextRequestRendersIt()
    {
        var media = await (await App.ClientAsync()).UploadAsync(TestFiles.Jpeg(640, 480, seed: 19), "flaky.jpg");
        var url = HttpExtensions.PathOf(media.Variants[0].Url);
        var before = App.StoredKeys();
        App.Storage.FailUploads = true;
        try
        {
            using var failed = await App.CreateClient().GetAsync(url, Ct);
            await failed.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        }
        finally
        {
            App.Storage.FailUploads = false;
        }
        Assert.Equal(before, App.StoredKeys());
        Assert.Equal(0, await App.WithDbAsync(db => db.Derivatives.CountAsync(d => d.MediaId == media.Id)));

        using var ok = await App.CreateClient().GetAsync(url, Ct);
        await ok.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(await App.ReferencedKeysAsync(), App.StoredKeys());
    }

    [Fact]
    public async Task ARender_IsTrackedBeforeItsFirstByte_AndOneWhoseStoreFailsAfterWriting_LeavesNothing()
    {
        var media = await (await App.ClientAsync()).UploadAsync(TestFiles.Jpeg(640, 480, seed: 31), "tracked.jpg");
        var seen = new List<MediaLibrary.Cleanup.PendingDeletion>();
        App.Storage.BeforeUpload = async _ =>
            seen.AddRange(await App.WithDbAsync(db => db.PendingDeletions.AsNoTracking().Where(p => p.MediaId == media.Id).ToListAsync()));
        try
        {
            using (var rendered = await App.CreateClient().GetAsync(HttpExtensions.PathOf(media.Variants[0].Url), Ct))
                await rendered.ShouldBe(HttpStatusCode.OK);
            // Before the render's first byte, its key waited in the queue, to be deleted should the render never finish.
            var entry = Assert.Single(seen);
            Assert.Equal(MediaLibrary.Cleanup.CleanupQueue.UploadReason, entry.Reason);
            Assert.Contains("w_320", entry.StorageKey);
            Assert.Equal(0, await App.WithDbAsync(db => db.PendingDeletions.CountAsync(p => p.MediaId == media.Id)));

            // Written, then reported failed: the entry deletes what was written.
            var before = App.StoredKeys();
            App.Storage.FailAfterUploads = true;
            using (var failed = await App.CreateClient().GetAsync(HttpExtensions.PathOf(media.Variants[1].Url), Ct))
                await failed.ProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal(before, App.StoredKeys());
            Assert.Equal(0, await App.WithDbAsync(db => db.PendingDeletions.CountAsync(p => p.MediaId == media.Id)));
        }
        finally
        {
            App.Storage.BeforeUpload = null;
            App.Storage.FailAfterUploads = false;
        }
        using var again = await App.CreateClient().GetAsync(HttpExtensions.PathOf(media.Variants[1].Url), Ct);
        await again.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(await App.ReferencedKeysAsync(), App.StoredKeys().Where(k => !k.Contains("_check/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ADerivativeRetiredBetweenItsLookupAndItsFirstByte_Answers404_Not503()
    {
        var client = await App.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Jpeg(640, 480, seed: 41), "retiring.jpg");
        var url = HttpExtensions.PathOf(media.Variants[0].Url);
        (await App.CreateClient().GetAsync(url, Ct)).EnsureSuccessStatusCode();
        var row = await App.WithDbAsync(db => db.Derivatives.SingleAsync(d => d.MediaId == media.Id));

        // The replace commits (and deletes version 1's objects) after the object was found, before its first byte is read.
        App.Storage.AfterOpenRead = async key =>
        {
            if (key != row.StorageKey) return;
            App.Storage.AfterOpenRead = null;
            using var replaced = await client.PutAsync($"/api/media/{media.Id}/file", TestFiles.Form(TestFiles.Jpeg(320, 240, seed: 42), "new.jpg"), Ct);
            await replaced.ShouldBe(HttpStatusCode.OK);
        };
        try
        {
            using var response = await App.CreateClient().GetAsync(url, Ct);
            // A store that reads lazily (S3, Cloudinary) finds the object gone at its first byte; a local file, once open, is
            // still read whole. Either is the truth for a request that began before the replace; a 503 was not.
            if (App is S3MediaLibraryApp or CloudinaryMediaLibraryApp)
            {
                var problem = await response.ProblemAsync(HttpStatusCode.NotFound);
                Assert.Equal("File not found.", problem.GetProperty("title").GetString());
                Assert.Contains(App.Logs.GetSnapshot(), r => r.Level == LogLevel.Warning
                    && r.Message.Contains($"the object {row.StorageKey} on ", StringComparison.Ordinal) && r.Message.EndsWith("answered 404", StringComparison.Ordinal));
            }
            else await response.ShouldBe(HttpStatusCode.OK);
        }
        finally
        {
            App.Storage.AfterOpenRead = null;
        }
        using var old = await App.CreateClient().GetAsync(url, Ct);
        await old.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(await App.ReferencedKeysAsync(), App.StoredKeys());
    }

    [Fact]
    public async Task MissingDerivativeObject_IsRenderedAgain()
    {
        var media = await (await App.ClientAsync()).UploadAsync(TestFiles.Jpeg(640, 480, seed: 23), "lost.jpg");
        var url = HttpExtensions.PathOf(media.Variants[0].Url);
        (await App.CreateClient().GetAsync(url, Ct)).EnsureSuccessStatusCode();
        var row = await App.WithDbAsync(db => db.Derivatives.SingleAsync(d => d.MediaId == media.Id));
        await App.Storage.DeleteAsync(row.StorageKey, Ct); // lost behind the service's back

        using var response = await App.CreateClient().GetAsync(url, Ct);
        await response.ShouldBe(HttpStatusCode.OK);
        var again = await App.WithDbAsync(db => db.Derivatives.SingleAsync(d => d.MediaId == media.Id));
        Assert.NotEqual(row.StorageKey, again.StorageKey);
        Assert.Equal(await App.ReferencedKeysAsync(), App.StoredKeys());
        Assert.Single(App.Logs.GetSnapshot(), r => r.Level == LogLevel.Warning
            && r.Message.StartsWith($"Derivative {row.Transform} of media {media.Id} version 1 is missing at {row.StorageKey} on ", StringComparison.Ordinal)
            && r.Message.EndsWith("result=rendering it again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconcile_KeepsRecordedDerivatives_AndRemovesALostRender()
    {
        var media = await (await App.ClientAsync()).UploadAsync(TestFiles.Jpeg(640, 480, seed: 29), "kept.jpg");
        (await App.CreateClient().GetAsync(HttpExtensions.PathOf(media.Variants[0].Url), Ct)).EnsureSuccessStatusCode();
        // What a render that died after storing (its claim since taken over) leaves: an object no row references.
        var lost = $"{await KeyPrefixAsync(media.Id)}w_320-f_webp-{MediaLibrary.Storage.StorageKeys.NewId()[..12]}";
        var stored = await App.Storage.UploadAsync(lost, new MemoryStream(TestFiles.Png(2, 2)), "image/png", Ct);

        await using (var scope = App.Services.CreateAsyncScope())
        {
            var report = await scope.ServiceProvider.GetRequiredService<MediaLibrary.Cleanup.Reconciler>()
                .RunAsync(new MediaLibrary.Cleanup.ReconcileRequest(Apply: true, Grace: TimeSpan.Zero), CancellationToken.None);
            Assert.Contains(report.Orphans, o => o.Key == stored.Key);
        }
        Assert.DoesNotContain(stored.Key, App.StoredKeys());
        Assert.Equal(await App.ReferencedKeysAsync(), App.StoredKeys().Where(k => !k.Contains("_check/", StringComparison.Ordinal)));
        (await App.CreateClient().GetAsync(HttpExtensions.PathOf(media.Variants[0].Url), Ct)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task NonImages_HaveNoVariants_AndNoDerivativeUrls()
    {
        var media = await (await App.ClientAsync()).UploadAsync(TestFiles.Pdf(), "doc.pdf");
        Assert.Empty(media.Variants);
        Assert.Null(media.DominantColor);
        using var response = await App.CreateClient().GetAsync($"/files/{media.Id}/v1/w_320,f_webp/doc.webp", Ct);
        await response.ProblemAsync(HttpStatusCode.NotFound);
    }

    /// <summary>The <c>{storage-id}/{file-id}/</c> that the current file's original and derivatives share.</summary>
    private async Task<string> KeyPrefixAsync(long mediaId)
    {
        var parts = (await App.StorageKeyAsync(mediaId)).Split('/');
        return $"{parts[^3]}/{parts[^2]}/";
    }

    private static Image TestFilesImage(int width, int height) => Image.NewFromBuffer(TestFiles.Jpeg(width, height, seed: 2));

    private static byte[] Encode(Image image, string format)
    {
        using (image) return image.WriteToBuffer(format);
    }
}

public sealed class SqliteImageTests(SqliteImageTests.Fixture app) : ImageTests(app), IClassFixture<SqliteImageTests.Fixture>
{
    public sealed class Fixture : MediaLibraryApp
    {
        public Fixture() => Configure(Set);
    }
}

public sealed class PostgresImageTests(PostgresImageTests.Fixture app) : ImageTests(app), IClassFixture<PostgresImageTests.Fixture>
{
    public sealed class Fixture : PostgresMediaLibraryApp
    {
        public Fixture() => Configure(Set);
    }
}

public sealed class S3ImageTests(S3ImageTests.Fixture app) : ImageTests(app), IClassFixture<S3ImageTests.Fixture>
{
    public sealed class Fixture : S3MediaLibraryApp
    {
        public Fixture() => Configure(Set);
    }
}

public sealed class CloudinaryImageTests(CloudinaryImageTests.Fixture app) : ImageTests(app), IClassFixture<CloudinaryImageTests.Fixture>
{
    public sealed class Fixture : CloudinaryMediaLibraryApp
    {
        public Fixture() => Configure(Set);
    }
}
