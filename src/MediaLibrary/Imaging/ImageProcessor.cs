using MediaLibrary.Web;
using Microsoft.Extensions.Options;
using NetVips;

namespace MediaLibrary.Imaging;

/// <summary>
/// All libvips work. Jobs run on the thread pool, at most MEDIALIB_IMAGE_CONCURRENCY at once, never on the request's
/// own thread. Only the loaders for the allowed raster formats can run on untrusted input; the header (dimensions,
/// frames) is checked before any pixel is decoded; truncated or corrupt files fail instead of rendering grey.
/// </summary>
public sealed partial class ImageProcessor : IDisposable
{
    private const int VipsMaxCoord = 10_000_000;
    private const int PlaceholderSize = 16;

    // Sniffed content type → the libvips loader that must read it (and nothing else may).
    private static readonly Dictionary<string, (string Loader, string VipsClass)> Loaders = new(StringComparer.Ordinal)
    {
        ["image/jpeg"] = ("jpegload", "VipsForeignLoadJpeg"),
        ["image/png"] = ("pngload", "VipsForeignLoadPng"),
        ["image/gif"] = ("gifload", "VipsForeignLoadNsgif"),
        ["image/webp"] = ("webpload", "VipsForeignLoadWebp"),
        ["image/avif"] = ("heifload", "VipsForeignLoadHeif"),
        ["image/tiff"] = ("tiffload", "VipsForeignLoadTiff"),
    };

    private static readonly Lock InitLock = new();
    private static bool _initialised;

    private readonly SemaphoreSlim _slots;
    private readonly ImagingOptions _options;
    private readonly ILogger<ImageProcessor> _logger;
    private int _queued;

    /// <param name="options">Concurrency and queue limits.</param>
    /// <param name="accepts">Whether uploads of a content type are accepted at all: only those types' loaders are unblocked.</param>
    /// <param name="logger">Where libvips' own warnings go.</param>
    public ImageProcessor(IOptions<ImagingOptions> options, Func<string, bool> accepts, ILogger<ImageProcessor> logger)
    {
        _options = options.Value;
        _logger = logger;
        _slots = new SemaphoreSlim(_options.Concurrency, _options.Concurrency);
        Initialise(accepts, logger);
    }

    /// <summary>Raster formats this service decodes. Others (SVG, BMP, ICO, HEIC) are stored and served as they are.</summary>
    public static bool CanRender(string contentType) => Loaders.ContainsKey(contentType);

    /// <summary>libvips' block list is process-wide: set once, from the first configuration (one service per process).</summary>
    private static void Initialise(Func<string, bool> accepts, ILogger logger)
    {
        lock (InitLock)
        {
            if (_initialised) return;
            NetVips.NetVips.BlockUntrusted = true;
            Operation.Block("VipsForeignLoad", true);
            foreach (var (type, (_, vipsClass)) in Loaders)
                if (accepts(type)) Operation.Block(vipsClass, false);
            Cache.Max = 0; // every job reads a fresh stream: nothing to reuse, and nothing to keep in memory
            Log.SetLogHandler("VIPS", Enums.LogLevelFlags.Warning | Enums.LogLevelFlags.Message | Enums.LogLevelFlags.Info,
                (domain, level, message) => LogVips(logger, message));
            _initialised = true;
        }
    }

    /// <summary>
    /// Reads the header (loader, dimensions, frames, orientation), refuses floods before decoding, then decodes a small
    /// thumbnail to prove the file whole and derive the placeholder, dominant colour and alpha.
    /// </summary>
    public async Task<ImageFacts?> AnalyseAsync(string contentType, Func<CancellationToken, Task<Stream>> open, long maxPixels, CancellationToken ct)
    {
        if (!Loaders.TryGetValue(contentType, out var loader)) return null;
        int width, height, orientation;
        await using (var header = new TrackedStream(await open(ct)))
        {
            (width, height, var pages, orientation, var found) = await RunAsync(() =>
            {
                using var image = Load(header);
                var pageHeight = image.PageHeight;
                var n = image.Contains("n-pages") ? (int)image.Get("n-pages") : 1;
                var o = image.Contains("orientation") ? (int)image.Get("orientation") : 1;
                return (image.Width, pageHeight, n, o, (string)image.Get("vips-loader"));
            }, header, ct);
            if (!found.StartsWith(loader.Loader, StringComparison.Ordinal))
                throw Unreadable($"The file looks like {contentType} but libvips read it as {found}.");
            var pixels = (long)width * height;
            if (pixels > maxPixels)
                throw new ApiProblemException(StatusCodes.Status422UnprocessableEntity, "The image has too many pixels.",
                    $"{width}×{height} is {pixels} pixels; the limit is {maxPixels} (MEDIALIB_MAX_PIXELS).",
                    new Dictionary<string, object?> { ["width"] = width, ["height"] = height, ["max_pixels"] = maxPixels });
            if (pages > 1 && pixels * pages > _options.MaxAnimationPixels)
                throw new ApiProblemException(StatusCodes.Status422UnprocessableEntity, "The animation has too many pixels.",
                    $"{pages} frames of {width}×{height} are {pixels * pages} pixels; the limit is {_options.MaxAnimationPixels} (MEDIALIB_MAX_ANIMATION_PIXELS).",
                    new Dictionary<string, object?> { ["frames"] = pages, ["width"] = width, ["height"] = height, ["max_animation_pixels"] = _options.MaxAnimationPixels });
        }

        await using var body = new TrackedStream(await open(ct));
        return await RunAsync(() =>
        {
            // thumbnail applies the EXIF orientation; the small copy is decoded from the whole file, so a truncated
            // or corrupt file fails here.
            using var lazy = Image.ThumbnailStream(body, 64, "[fail_on=truncated]", height: 64);
            using var small = lazy.CopyMemory(); // decode once: the stream can be read only in order
            using var srgb = ToSrgb(small);
            var hasAlpha = srgb.HasAlpha();
            var dominant = DominantColor(srgb);
            using var tiny = srgb.ThumbnailImage(PlaceholderSize, height: PlaceholderSize);
            using var encoded = new MemoryStream();
            tiny.WebpsaveStream(encoded, q: 40, keep: Enums.ForeignKeep.None, effort: 4);
            var (w, h) = orientation is >= 5 and <= 8 ? (height, width) : (width, height);
            return new ImageFacts(w, h, hasAlpha, "data:image/webp;base64," + Convert.ToBase64String(encoded.ToArray()), dominant);
        }, body, ct);
    }

    /// <summary>Renders a derivative of the original into <paramref name="output"/>; metadata (EXIF, GPS, XMP) is not kept.</summary>
    public async Task<RenderResult> RenderAsync(string contentType, Func<CancellationToken, Task<Stream>> open, ImageTransform transform, Stream output, CancellationToken ct)
    {
        if (!Loaders.ContainsKey(contentType)) throw new InvalidOperationException($"{contentType} is not rendered.");
        await using var input = new TrackedStream(await open(ct));
        return await RunAsync(() =>
        {
            var width = transform.Width ?? VipsMaxCoord;
            var height = transform.Height ?? VipsMaxCoord;
            using var thumb = transform.Fit == ImageFit.Cover
                ? Image.ThumbnailStream(input, width, "[fail_on=truncated]", height: height, size: Enums.Size.Down, crop: Enums.Interesting.Centre)
                : Image.ThumbnailStream(input, width, "[fail_on=truncated]", height: height, size: Enums.Size.Down);
            var image = ToSrgb(thumb);
            try
            {
                var format = transform.Format;
                if (transform.Fit == ImageFit.Contain && (image.Width != width || image.Height != height))
                {
                    var transparent = format != "jpeg";
                    if (transparent && !image.HasAlpha()) Swap(ref image, image.Bandjoin(255));
                    Swap(ref image, image.Gravity(Enums.CompassDirection.Centre, width, height, extend: Enums.Extend.Background,
                        background: transparent ? [0, 0, 0, 0] : [255, 255, 255]));
                }
                if (format == "jpeg" && image.HasAlpha()) Swap(ref image, image.Flatten(background: [255, 255, 255]));
                // AVIF encoders refuse images under 16 pixels a side; such a tiny render goes out as WebP.
                if (format == "avif" && (image.Width < 16 || image.Height < 16)) format = "webp";
                switch (format)
                {
                    case "webp": image.WebpsaveStream(output, q: transform.Quality ?? 80, effort: 4, keep: Enums.ForeignKeep.None); break;
                    case "avif": image.HeifsaveStream(output, q: transform.Quality ?? 55, compression: Enums.ForeignHeifCompression.Av1, effort: 2, keep: Enums.ForeignKeep.None); break;
                    case "png": image.PngsaveStream(output, compression: 6, keep: Enums.ForeignKeep.None); break;
                    default: image.JpegsaveStream(output, q: transform.Quality ?? 82, optimizeCoding: true, interlace: true, keep: Enums.ForeignKeep.None); break;
                }
                return new RenderResult(image.Width, image.Height, ImageTransform.ContentType(format));
            }
            finally
            {
                if (!ReferenceEquals(image, thumb)) image.Dispose();
            }
        }, input, ct);
    }

    private static void Swap(ref Image image, Image next)
    {
        image.Dispose();
        image = next;
    }

    private static Image Load(Stream stream) =>
        Image.NewFromStream(stream, access: Enums.Access.Sequential, failOn: Enums.FailOn.Truncated);

    private static Image ToSrgb(Image image) =>
        image.Interpretation is Enums.Interpretation.Srgb or Enums.Interpretation.Rgb && image.Format == Enums.BandFormat.Uchar
            ? image.Copy()
            : image.Colourspace(Enums.Interpretation.Srgb).Cast(Enums.BandFormat.Uchar);

    /// <summary>The most common colour, to 4 bits a channel, averaged within its bucket; transparent pixels skipped.</summary>
    private static string DominantColor(Image srgb)
    {
        var bands = srgb.Bands;
        var pixels = srgb.WriteToMemory<byte>();
        var counts = new int[4096];
        var sums = new long[4096 * 3];
        for (var i = 0; i + bands - 1 < pixels.Length; i += bands)
        {
            if (bands == 4 && pixels[i + 3] < 128) continue;
            if (bands == 2 && pixels[i + 1] < 128) continue;
            var (r, g, b) = bands >= 3 ? (pixels[i], pixels[i + 1], pixels[i + 2]) : (pixels[i], pixels[i], pixels[i]);
            var bucket = (r >> 4) << 8 | (g >> 4) << 4 | b >> 4;
            counts[bucket]++;
            sums[bucket * 3] += r;
            sums[bucket * 3 + 1] += g;
            sums[bucket * 3 + 2] += b;
        }
        var best = Array.IndexOf(counts, counts.Max());
        if (counts[best] == 0) return "#000000";
        return $"#{sums[best * 3] / counts[best]:x2}{sums[best * 3 + 1] / counts[best]:x2}{sums[best * 3 + 2] / counts[best]:x2}";
    }

    private async Task<T> RunAsync<T>(Func<T> work, TrackedStream input, CancellationToken ct)
    {
        if (Interlocked.Increment(ref _queued) > _options.MaxQueue + _options.Concurrency)
        {
            Interlocked.Decrement(ref _queued);
            throw new ImagingBusyException();
        }
        try
        {
            await _slots.WaitAsync(ct);
            try
            {
                return await Task.Run(work, ct);
            }
            catch (VipsException ex)
            {
                // A storage read that failed inside libvips is a storage failure, not a bad image.
                if (input.Failure is { } failure) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
                throw Unreadable(ex.Message.ReplaceLineEndings(" ").Trim());
            }
            finally
            {
                _slots.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _queued);
        }
    }

    private static ApiProblemException Unreadable(string reason) =>
        new(StatusCodes.Status422UnprocessableEntity, "The image cannot be decoded.",
            $"The file is truncated or corrupt, or not the image it claims to be: {reason}");

    public void Dispose() => _slots.Dispose();

    [LoggerMessage(Level = LogLevel.Debug, Message = "libvips: {Message}")]
    private static partial void LogVips(ILogger logger, string message);

    /// <summary>Remembers a read failure that libvips would otherwise turn into a generic decode error.</summary>
    private sealed class TrackedStream(Stream inner) : Stream
    {
        public Exception? Failure { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            try { return inner.Read(buffer, offset, count); }
            catch (Exception ex) { Failure = ex; throw; }
        }

        public override long Seek(long offset, SeekOrigin origin)
        {
            try { return inner.Seek(offset, origin); }
            catch (Exception ex) { Failure = ex; throw; }
        }

        public override bool CanRead => true;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => Seek(value, SeekOrigin.Begin); }
        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
