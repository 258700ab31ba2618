namespace MediaLibrary.Media;

/// <summary>Where media URLs point (MEDIALIB_DELIVERY).</summary>
public enum DeliveryMode
{
    /// <summary>At the service's /files/… URLs, which send the bytes (or hand them to nginx).</summary>
    Proxy,

    /// <summary>At the provider or its CDN (Cloudinary's delivery URL, MEDIALIB_PUBLIC_BASE_URL for S3), where there is one.</summary>
    Direct,

    /// <summary>At /files/…, which redirects to a short-lived signed URL (private S3 buckets), where the storage offers one.</summary>
    Presigned,
}
