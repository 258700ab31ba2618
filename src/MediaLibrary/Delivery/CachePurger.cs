using System.Net;
using MediaLibrary.Cleanup;
using MediaLibrary.Media;
using MediaLibrary.Storage;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Delivery;

/// <summary>
/// The HTTP cache in front of <c>/files/</c> (MEDIALIB_CACHE_PURGE_URL): nginx as in docs/nginx.conf, Varnish, or a CDN
/// that takes <c>PURGE</c> requests. A version that a delete or a replace retired is purged through the same outbox as
/// its stored objects, so a cache that keeps files "forever" does not keep serving a file that is gone.
/// </summary>
public sealed class CachePurger(HttpClient http, IOptions<CleanupOptions> options, IOptions<MediaOptions> media) : ICleanupHandler
{
    /// <summary>The <see cref="PendingDeletion.Provider"/> of a purge; its <see cref="PendingDeletion.StorageKey"/> is the URL path.</summary>
    public const string Provider = "http-cache";

    public string Kind => Provider;
    public string Work => "Purging";

    private static readonly HttpMethod Purge = new("PURGE");
    private readonly Uri? _base = string.IsNullOrWhiteSpace(options.Value.CachePurgeUrl)
        ? null
        : new Uri(options.Value.CachePurgeUrl.TrimEnd('/') + "/", UriKind.Absolute);

    /// <summary>
    /// Whether retired versions are purged. Not while reads need a token: files are then private, no shared cache keeps
    /// them, and a PURGE (which fetches the URL without a token) would only be refused.
    /// </summary>
    public bool Enabled => _base is not null && !media.Value.RequireAuthForReads;

    /// <summary>
    /// Sends <c>PURGE</c> for one path. 2xx means purged; 404 means the cache held no copy (docs/nginx.conf answers with
    /// the service's own 404, which it now keeps in the copy's place). Anything else throws, and the entry is retried,
    /// 405 and 501 too: a cache that does not take PURGE yet can be configured to, and the waiting purges then land.
    /// </summary>
    public Task ExecuteAsync(PendingDeletion entry, CancellationToken ct) => PurgeAsync(entry.StorageKey, ct);

    public async Task PurgeAsync(string path, CancellationToken ct)
    {
        if (_base is null)
            throw new StorageException(Provider, path, "MEDIALIB_CACHE_PURGE_URL is not set on this node, so the cache cannot be purged from here.");
        using var request = new HttpRequestMessage(Purge, new Uri(_base, path));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound) return;
        var status = (int)response.StatusCode;
        throw new StorageException(Provider, path, $"The cache answered PURGE with {status} {response.ReasonPhrase}.");
    }
}
