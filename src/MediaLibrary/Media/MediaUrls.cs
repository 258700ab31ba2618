using MediaLibrary.Storage;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Media;

/// <summary>
/// Where a media's bytes are delivered. Every URL names one immutable object (the version or the never-reused key
/// is in it), so a replaced file always gets a new URL and any URL may be cached forever.
/// </summary>
public sealed class MediaUrls(StorageRegistry storage, IOptions<MediaOptions> options)
{
    private readonly MediaOptions _options = options.Value;

    public string For(HttpRequest request, Media media)
    {
        if (_options.Delivery == "direct" && storage.Find(media.StorageProvider)?.DirectUrl(media.StorageKey) is { } direct) return direct;
        return $"{BaseUrl(request)}/files/{media.Id}/v{media.Version}/{Uri.EscapeDataString(media.FileName)}";
    }

    public MediaResponse Response(HttpRequest request, Media media) => MediaResponse.From(media, For(request, media));

    /// <summary>The service's own public origin: MEDIALIB_BASE_URL, else this request's.</summary>
    public string BaseUrl(HttpRequest request) =>
        string.IsNullOrWhiteSpace(_options.BaseUrl) ? $"{request.Scheme}://{request.Host}{request.PathBase}" : _options.BaseUrl.TrimEnd('/');
}
