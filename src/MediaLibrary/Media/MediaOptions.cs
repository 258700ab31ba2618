using System.ComponentModel.DataAnnotations;

namespace MediaLibrary.Media;

public sealed class MediaOptions
{
    public const long DefaultMaxUploadBytes = 1L << 30;

    public static readonly string[] DefaultAllowedTypes =
    [
        "image/jpeg", "image/png", "image/gif", "image/webp", "image/avif", "image/heic", "image/heif", "image/bmp",
        "image/tiff", "image/svg+xml", "image/x-icon",
        "video/mp4", "video/webm", "video/quicktime", "video/x-matroska", "video/ogg", "video/mpeg", "video/x-msvideo", "video/3gpp",
        "audio/mpeg", "audio/wav", "audio/ogg", "audio/flac", "audio/aac", "audio/mp4",
        "application/pdf", "application/rtf", "text/plain", "text/csv",
        "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.presentation",
    ];

    [ConfigurationKeyName("MEDIALIB_MAX_UPLOAD_BYTES")]
    [Range(1, long.MaxValue, ErrorMessage = "MEDIALIB_MAX_UPLOAD_BYTES must be a positive number of bytes.")]
    public long MaxUploadBytes { get; set; } = DefaultMaxUploadBytes;

    /// <summary>Comma-separated types; "image/*" allows a whole family. Empty: <see cref="DefaultAllowedTypes"/>.</summary>
    [ConfigurationKeyName("MEDIALIB_ALLOWED_TYPES")]
    public string? AllowedTypes { get; set; }

    [ConfigurationKeyName("MEDIALIB_REQUIRE_AUTH_FOR_READS")]
    public bool RequireAuthForReads { get; set; }

    /// <summary>The service's public origin for the URLs it hands out (behind a proxy); empty: the request's own.</summary>
    [ConfigurationKeyName("MEDIALIB_BASE_URL")]
    public string? BaseUrl { get; set; }

    /// <summary>
    /// proxy: files are served by the service at /files/…; direct: media URLs point at the provider or CDN
    /// (Cloudinary's delivery URL, MEDIALIB_PUBLIC_BASE_URL for S3); presigned: /files/… redirects to a short-lived
    /// signed URL (private S3 buckets). Where a provider offers no such URL, files are served through the service.
    /// </summary>
    [ConfigurationKeyName("MEDIALIB_DELIVERY")]
    [EnumDataType(typeof(DeliveryMode), ErrorMessage = "MEDIALIB_DELIVERY is proxy, direct or presigned.")]
    public DeliveryMode Delivery { get; set; } = DeliveryMode.Proxy;

    /// <summary>
    /// Behind nginx: a URL path prefix (such as <c>/_medialib/</c>) of an <c>internal</c> location that aliases the local
    /// storage folder. The service still looks the file up, checks it and writes the headers, then answers with
    /// <c>X-Accel-Redirect</c> and no body, and nginx sends the bytes with sendfile. Local storage only.
    /// </summary>
    [ConfigurationKeyName("MEDIALIB_ACCEL_REDIRECT")]
    [RegularExpression("^/([A-Za-z0-9._~-]+/)+$", ErrorMessage = "MEDIALIB_ACCEL_REDIRECT is a path prefix such as /_medialib/ (starting and ending with /).")]
    public string? AccelRedirect { get; set; }

    /// <summary>How long a presigned URL stays valid.</summary>
    [ConfigurationKeyName("MEDIALIB_PRESIGN_MINUTES")]
    [Range(1, 7 * 24 * 60, ErrorMessage = "MEDIALIB_PRESIGN_MINUTES must be between 1 and 10080 (a week).")]
    public int PresignMinutes { get; set; } = 15;

    /// <summary>
    /// Largest image accepted, in pixels (width × height, read from the header before anything is decoded or
    /// stored): a "pixel flood" of a few kilobytes can otherwise claim gigabytes once decoded.
    /// </summary>
    [ConfigurationKeyName("MEDIALIB_MAX_PIXELS")]
    [Range(1, long.MaxValue, ErrorMessage = "MEDIALIB_MAX_PIXELS must be a positive number of pixels.")]
    public long MaxPixels { get; set; } = 100_000_000;

    /// <summary>How long deleted media stay in the trash before the worker purges them; 0: a delete deletes at once.</summary>
    [ConfigurationKeyName("MEDIALIB_TRASH_DAYS")]
    [Range(0, 3650, ErrorMessage = "MEDIALIB_TRASH_DAYS must be between 0 (no trash: a delete deletes at once) and 3650.")]
    public int TrashDays { get; set; } = 30;

    /// <summary>How long the history of changes is kept (MEDIALIB_HISTORY_DAYS); older entries are forgotten by the worker.</summary>
    [ConfigurationKeyName("MEDIALIB_HISTORY_DAYS")]
    [Range(1, 36500, ErrorMessage = "MEDIALIB_HISTORY_DAYS must be between 1 and 36500 (a hundred years).")]
    public int HistoryDays { get; set; } = 365;

    /// <summary>How long an upload's Idempotency-Key is remembered.</summary>
    [ConfigurationKeyName("MEDIALIB_IDEMPOTENCY_HOURS")]
    [Range(1, 24 * 365, ErrorMessage = "MEDIALIB_IDEMPOTENCY_HOURS must be between 1 and 8760 (a year).")]
    public int IdempotencyHours { get; set; } = 24;

    public bool IsAllowed(string contentType)
    {
        var list = string.IsNullOrWhiteSpace(AllowedTypes)
            ? DefaultAllowedTypes
            : AllowedTypes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var allowed in list)
        {
            if (allowed == "*/*" || string.Equals(allowed, contentType, StringComparison.OrdinalIgnoreCase)) return true;
            if (allowed.EndsWith("/*", StringComparison.Ordinal) && contentType.StartsWith(allowed[..^1], StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
