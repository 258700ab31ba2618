using MediaLibrary.Auth;
using MediaLibrary.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace MediaLibrary.Media;

/// <summary>Serves stored files at versioned URLs that may be cached forever.</summary>
public static class FileDelivery
{
    public const string ImmutableCacheControl = "public, max-age=31536000, immutable";

    public static RouteHandlerBuilder MapFiles(this IEndpointRouteBuilder app, bool requireAuthForReads)
    {
        var route = app.MapMethods("/files/{id:long}/v{version:int}/{**name}", [HttpMethods.Get, HttpMethods.Head], Serve)
            .WithName("GetFile")
            .WithTags("Files")
            .WithSummary("The file's bytes at one version; ranges, ETag and immutable caching.");
        if (requireAuthForReads) route.RequireAuthorization(Policies.Read);
        return route;
    }

    /// <summary>MEDIALIB_DELIVERY=presigned: a redirect to a short-lived signed URL, where the storage offers one.</summary>
    public static async Task<IResult?> PresignedRedirectAsync(HttpContext http, IBlobStore store, string key, MediaOptions options, CancellationToken ct)
    {
        if (options.Delivery != "presigned") return null;
        var lifetime = TimeSpan.FromMinutes(options.PresignMinutes);
        if (await store.PresignedUrlAsync(key, lifetime, ct) is not { } signed) return null;
        // The redirect may be cached only while the signature it points at is still valid.
        http.Response.Headers.CacheControl = $"private, max-age={(int)Math.Max(0, (lifetime - TimeSpan.FromMinutes(1)).TotalSeconds)}";
        return TypedResults.Redirect(signed);
    }

    public static async Task<IResult> Serve(long id, int version, HttpContext http, MediaService media, StorageRegistry storage, IOptions<MediaOptions> options, ILogger<MediaService> logger, CancellationToken ct)
    {
        var m = await media.FindAsync(id, ct);
        // A replaced version is gone for good: 404, not a redirect, so no cache keeps serving it as current.
        if (m is null || m.Version != version)
            return TypedResults.Problem(statusCode: 404, title: "File not found.", detail: $"Media {id} has no file at version {version}.");

        var store = storage.Find(m.StorageProvider)
            ?? throw new StorageException(m.StorageProvider, m.StorageKey, $"Media {id} is in '{m.StorageProvider}' storage, which this node has not configured.");
        if (await PresignedRedirectAsync(http, store, m.StorageKey, options.Value, ct) is { } redirect) return redirect;

        Stream content;
        try
        {
            content = await store.OpenReadAsync(m.StorageKey, ct);
        }
        catch (BlobNotFoundException)
        {
            MediaLog.StoredFileMissing(logger, m.Id, m.StorageKey, m.StorageProvider);
            return TypedResults.Problem(statusCode: 404, title: "File not found.", detail: $"The stored file of media {id} is missing.");
        }

        var headers = http.Response.Headers;
        headers.CacheControl = ImmutableCacheControl;
        var isSvg = m.ContentType == "image/svg+xml";
        var disposition = new ContentDispositionHeaderValue(isSvg ? "attachment" : "inline");
        disposition.SetHttpFileName(m.FileName);
        headers.ContentDisposition = disposition.ToString();
        if (isSvg) headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

        return TypedResults.Stream(content, m.ContentType,
            entityTag: new EntityTagHeaderValue($"\"{m.Sha256}\""),
            enableRangeProcessing: content.CanSeek);
    }
}
