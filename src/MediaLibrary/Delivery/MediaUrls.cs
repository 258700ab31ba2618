using MediaLibrary.Imaging;
using MediaLibrary.Media;
using MediaLibrary.Storage;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Delivery;

/// <summary>
/// Where a media's bytes are delivered. Every URL names one immutable object (the version or the never-reused key
/// is in it), so a replaced file always gets a new URL and any URL may be cached forever.
/// </summary>
public sealed class MediaUrls(StorageRegistry storage, IOptions<MediaOptions> options, IOptions<ImagingOptions> imaging)
{
    private readonly MediaOptions _options = options.Value;
    private readonly IReadOnlyList<int> _widths = imaging.Value.WidthList;
    private readonly string _variantFormat = imaging.Value.VariantFormatName;

    public string For(HttpRequest? request, MediaItem media)
    {
        if (_options.Delivery == DeliveryMode.Direct && !FileDelivery.IsActiveContent(media.ContentType) && storage.Find(media.StorageProvider)?.DirectUrl(media.StorageKey) is { } direct) return direct;
        return $"{BaseUrl(request)}/{OriginalPath(media.Id, media.Version, media.FileName)}";
    }

    /// <summary>The path of a version's original below the service's origin; also what a cache purge names.</summary>
    public static string OriginalPath(long id, int version, string fileName) =>
        $"{VersionPath(id, version)}/{Uri.EscapeDataString(fileName)}";

    /// <summary>The URL of one derivative; <paramref name="transform"/> is the text after the version (signed if need be).</summary>
    public string Derivative(HttpRequest? request, MediaItem media, string transform, string format)
    {
        var name = format == "auto" ? media.FileName : $"{Path.GetFileNameWithoutExtension(media.FileName)}.{ImageTransform.Extension(format)}";
        return $"{FilePrefix(request, media)}/{transform}/{Uri.EscapeDataString(name)}";
    }

    /// <summary>
    /// The configured widths up to the original's (one more at the original's width when it falls between two), in
    /// the variant format; heights as libvips rounds them.
    /// </summary>
    public IReadOnlyList<ImageVariant> Variants(HttpRequest? request, MediaItem media)
    {
        if (!ImageProcessor.CanRender(media.ContentType) || media is not { Width: > 0 and var width, Height: > 0 and var height })
            return [];
        var variants = new List<ImageVariant>(_widths.Count);
        foreach (var preset in _widths)
        {
            var w = Math.Min(preset, width);
            var h = Math.Max(1, (int)Math.Round((double)height * w / width, MidpointRounding.AwayFromZero));
            variants.Add(new ImageVariant(w, h, _variantFormat, Derivative(request, media, $"w_{preset},f_{_variantFormat}", _variantFormat)));
            if (preset >= width) break;
        }
        return variants;
    }

    public MediaResponse Response(HttpRequest? request, MediaItem media, IReadOnlyList<string> tags) =>
        MediaResponse.From(media, For(request, media), Variants(request, media), tags);

    /// <summary>A page of media as the API shows them, each with its tags.</summary>
    public List<MediaResponse> Responses(HttpRequest request, IEnumerable<MediaItem> items, IReadOnlyDictionary<long, IReadOnlyList<string>> tags) =>
        items.Select(m => Response(request, m, tags.GetValueOrDefault(m.Id, []))).ToList();

    /// <summary>
    /// The service's own public origin: MEDIALIB_BASE_URL, else this request's; empty outside a request without it (a
    /// background change's webhook), which makes the URLs relative to the service.
    /// </summary>
    public string BaseUrl(HttpRequest? request) =>
        !string.IsNullOrWhiteSpace(_options.BaseUrl) ? _options.BaseUrl.TrimEnd('/')
        : request is null ? "" : $"{request.Scheme}://{request.Host}{request.PathBase}";

    /// <summary>The URL of a version's original, and the prefix every URL of that version (its derivatives too) starts with.</summary>
    public (string Original, string Prefix) VersionUrls(HttpRequest? request, long id, int version, string fileName) =>
        ($"{BaseUrl(request)}/{OriginalPath(id, version, fileName)}", $"{BaseUrl(request)}/{VersionPath(id, version)}/");

    private string FilePrefix(HttpRequest? request, MediaItem media) => $"{BaseUrl(request)}/{VersionPath(media.Id, media.Version)}";

    private static string VersionPath(long id, int version) => $"files/{id}/v{version}";
}
