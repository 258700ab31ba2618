using MediaLibrary.Imaging;
using MediaLibrary.Media;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NetVips;

namespace MediaLibrary.Tests.Unit;

public sealed class ImagingUnitTests
{
    [Theory]
    [InlineData("w_320,f_webp", 320, null, ImageFit.Inside, "webp", null)]
    [InlineData("h_200,f_auto", null, 200, ImageFit.Inside, "auto", null)]
    [InlineData("w_300,h_200,fit_cover,f_jpeg,q_70", 300, 200, ImageFit.Cover, "jpeg", 70)]
    [InlineData("w_300,h_200,fit_contain,f_png", 300, 200, ImageFit.Contain, "png", null)]
    public void Parse_ReadsCanonicalTransforms_AndWritesThemBackTheSame(string text, int? w, int? h, ImageFit fit, string format, int? q)
    {
        Assert.True(ImageTransform.TryParse(text, 4096, out var t, out var signature, out var error), error);
        Assert.Equal(new ImageTransform(w, h, fit, format, q), t);
        Assert.Null(signature);
        Assert.Equal(text, t!.Canonical);
    }

    [Theory]
    [InlineData("f_webp,w_320")]            // order
    [InlineData("w_320,fit_inside,f_webp")] // default spelled out
    [InlineData("w_320,w_320,f_webp")]      // twice
    [InlineData("w_320,f_webp,q_80,s_")]    // empty signature
    [InlineData("w_320,s_abc,f_webp")]      // signature not last
    [InlineData("w_320,h_100,fit_cover,f_png,q_50")] // quality on a lossless format
    [InlineData("w_-1,f_webp")]
    [InlineData("w_4097,f_webp")]
    [InlineData("fit_cover,w_10,f_webp")]
    [InlineData("w_10,fit_cover,f_webp")]   // cover needs both sides
    [InlineData("")]
    public void Parse_RefusesEverythingElse_Saying_Why(string text)
    {
        Assert.False(ImageTransform.TryParse(text, 4096, out _, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void Signatures_CoverTheWholeTransform_AndDependOnTheKey()
    {
        var signer = new TransformSigner(new byte[32]);
        var t = new ImageTransform(300, 200, ImageFit.Cover, "webp", 70);
        var text = signer.SignedText(t);
        Assert.True(ImageTransform.TryParse(text, 4096, out var parsed, out var signature, out _));
        Assert.True(signer.Verify(parsed!, signature!));
        Assert.False(signer.Verify(parsed! with { Quality = 71 }, signature!));
        Assert.False(new TransformSigner(Enumerable.Repeat((byte)1, 32).ToArray()).Verify(parsed!, signature!));
        Assert.True(t.IsPreset([300]) is false); // a height or fit is never a preset
        Assert.True(new ImageTransform(320, null, ImageFit.Inside, "avif", null).IsPreset([320, 640]));
        Assert.False(new ImageTransform(321, null, ImageFit.Inside, "avif", null).IsPreset([320, 640]));
    }

    [Fact]
    public void Libvips_RefusesLoadersOutsideTheRasterAllowList_OnceInitialised()
    {
        using var processor = new ImageProcessor(Options.Create(new ImagingOptions()), new MediaOptions().IsAllowed, NullLogger<ImageProcessor>.Instance);
        // SVG (librsvg) and the libvips matrix format parse untrusted text; both load when not blocked.
        Assert.Throws<VipsException>(() => Image.NewFromBuffer(TestFiles.Svg()).Avg());
        Assert.Throws<VipsException>(() => Image.NewFromStream(new MemoryStream("2 2\n1 2\n3 4\n"u8.ToArray())).Avg());
        // The allowed raster loaders still work.
        using var png = Image.NewFromBuffer(TestFiles.Png(3, 3));
        Assert.Equal(3, png.Width);
        Assert.True(ImageProcessor.CanRender("image/jpeg"));
        Assert.False(ImageProcessor.CanRender("image/svg+xml"));
        Assert.False(ImageProcessor.CanRender("image/heic"));
    }
}
