using MediaLibrary.Auth;
using MediaLibrary.Media;
using MediaLibrary.Storage;
using MediaLibrary.Web;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace MediaLibrary.Delivery;

/// <summary>Serves stored files at versioned URLs that may be cached forever.</summary>
public static class FileDelivery
{
    public const string ImmutableCacheControl = "public, max-age=31536000, immutable";

    /// <summary>
    /// With MEDIALIB_REQUIRE_AUTH_FOR_READS only the reader's own cache may keep a file: "public" would let a CDN or a
    /// shared proxy store an authorised answer and hand it to anyone.
    /// </summary>
    public const string PrivateImmutableCacheControl = "private, max-age=31536000, immutable";

    public static string FileCacheControl(MediaOptions options) =>
        options.RequireAuthForReads ? PrivateImmutableCacheControl : ImmutableCacheControl;

    public static RouteHandlerBuilder MapFiles(this IEndpointRouteBuilder app, bool requireAuthForReads)
    {
        var route = app.MapMethods("/files/{id:long}/v{version:int}/{**name}", [HttpMethods.Get, HttpMethods.Head], Serve)
            .WithName("GetFile")
            .WithTags("Files")
            .WithSummary("The file's bytes at one version; ranges, ETag and immutable caching.");
        if (requireAuthForReads) route.RequireAuthorization(Policies.Read);
        return route;
    }

    /// <summary>
    /// Types a browser would run (<see cref="ActiveContent"/>): served only by the service, as an attachment under a
    /// sandbox CSP, never handed out at the storage's own URL (direct or presigned), whose headers may not be ours.
    /// </summary>
    public static bool IsActiveContent(string contentType) => ActiveContent.Is(contentType);

    /// <summary>MEDIALIB_DELIVERY=presigned: a redirect to a short-lived signed URL, where the storage offers one.</summary>
    public static async Task<IResult?> PresignedRedirectAsync(HttpContext http, IBlobStore store, string key, MediaOptions options, CancellationToken ct)
    {
        if (options.Delivery != DeliveryMode.Presigned) return null;
        var lifetime = TimeSpan.FromMinutes(options.PresignMinutes);
        if (await store.PresignedUrlAsync(key, lifetime, ct) is not { } signed) return null;
        // The redirect may be cached only while the signature it points at is still valid.
        http.Response.Headers.CacheControl = $"private, max-age={(int)Math.Max(0, (lifetime - TimeSpan.FromMinutes(1)).TotalSeconds)}";
        return TypedResults.Redirect(signed);
    }

    /// <summary>
    /// A proxy that caches what it receives sends this with "off": an X-Accel-Redirect answer has no body to cache, so
    /// the service sends the bytes itself (docs/nginx.conf does this where it caches originals).
    /// </summary>
    public const string AccelHeader = "X-MediaLibrary-Accel";

    /// <summary>
    /// The internal nginx path of a local object when MEDIALIB_ACCEL_REDIRECT is set and the request does not opt out
    /// with <see cref="AccelHeader"/>; otherwise null.
    /// </summary>
    public static string? AccelPath(HttpRequest request, IBlobStore store, string key, MediaOptions options) =>
        string.IsNullOrEmpty(options.AccelRedirect) || store is not Storage.Local.LocalBlobStore
            || string.Equals(request.Headers[AccelHeader], "off", StringComparison.OrdinalIgnoreCase)
            ? null
            : options.AccelRedirect + string.Join('/', key.Split('/').Select(Uri.EscapeDataString));

    /// <summary>
    /// Opens the object, or with <paramref name="accelPath"/> only checks that it is there (nginx will read it).
    /// Found is false when it is missing.
    /// </summary>
    public static async Task<(bool Found, Stream? Content)> OpenAsync(IBlobStore store, string key, string? accelPath, CancellationToken ct)
    {
        try
        {
            return accelPath is null ? (true, await store.OpenReadAsync(key, ct)) : (await store.ExistsAsync(key, ct), null);
        }
        catch (BlobNotFoundException)
        {
            return (false, null);
        }
    }

    /// <summary>
    /// The bytes: streamed by the service (ranges, conditional GETs), or left to nginx through X-Accel-Redirect after
    /// the service has answered a matching If-None-Match itself. The caller has set Cache-Control and Content-Disposition.
    /// </summary>
    public static IResult Send(HttpContext http, Stream? content, string? accelPath, string contentType, string etag)
    {
        if (accelPath is null)
            return TypedResults.Stream(content!, contentType, entityTag: new EntityTagHeaderValue(etag), enableRangeProcessing: content!.CanSeek);
        var response = http.Response;
        response.Headers.ETag = etag;
        if (http.Request.IfNoneMatches(etag))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        response.Headers["X-Accel-Redirect"] = accelPath;
        response.ContentType = contentType;
        return TypedResults.Ok();
    }

    public static async Task<IResult> Serve(long id, int version, HttpContext http, MediaQueries media, StorageRegistry storage, IOptions<MediaOptions> options,
        ILoggerFactory loggers, CancellationToken ct)
    {
        var m = await media.FindFileAsync(id, version, ct);
        // A replaced version is gone for good: 404, not a redirect, so no cache keeps serving it as current.
        if (m is null)
            return TypedResults.Problem(statusCode: 404, title: "File not found.", detail: $"Media {id} has no file at version {version}.");

        var store = storage.Find(m.StorageProvider)
            ?? throw new StorageException(m.StorageProvider, m.StorageKey, $"Media {id} is in '{m.StorageProvider}' storage, which this node has not configured.");
        if (!IsActiveContent(m.ContentType) && await PresignedRedirectAsync(http, store, m.StorageKey, options.Value, ct) is { } redirect) return redirect;

        var accel = AccelPath(http.Request, store, m.StorageKey, options.Value);
        var (found, content) = await OpenAsync(store, m.StorageKey, accel, ct);
        if (!found)
        {
            media.ForgetFile(id, version);
            DeliveryLog.StoredFileMissing(loggers.CreateLogger(typeof(FileDelivery)), m.Id, m.StorageKey, m.StorageProvider);
            return TypedResults.Problem(statusCode: 404, title: "File not found.", detail: $"The stored file of media {id} is missing.");
        }

        var headers = http.Response.Headers;
        headers.CacheControl = FileCacheControl(options.Value);
        var isSvg = IsActiveContent(m.ContentType);
        var disposition = new ContentDispositionHeaderValue(isSvg ? "attachment" : "inline");
        disposition.SetHttpFileName(m.FileName);
        headers.ContentDisposition = disposition.ToString();
        if (isSvg) headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
        return Send(http, content, accel, m.ContentType, $"\"{m.Sha256}\"");
    }
}
