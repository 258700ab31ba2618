using System.ComponentModel.DataAnnotations;

namespace MediaLibrary.Storage.S3;

public sealed class S3Options
{
    /// <summary>For S3-compatible services (MinIO, R2, …); empty: AWS itself.</summary>
    [ConfigurationKeyName("MEDIALIB_S3_ENDPOINT")]
    public string? Endpoint { get; set; }

    [ConfigurationKeyName("MEDIALIB_S3_REGION")]
    public string Region { get; set; } = "us-east-1";

    [ConfigurationKeyName("MEDIALIB_S3_BUCKET")]
    [Required(ErrorMessage = "MEDIALIB_S3_BUCKET is required for S3 storage.")]
    public string Bucket { get; set; } = "";

    [ConfigurationKeyName("MEDIALIB_S3_ACCESS_KEY")]
    public string? AccessKey { get; set; }

    [ConfigurationKeyName("MEDIALIB_S3_SECRET_KEY")]
    public string? SecretKey { get; set; }

    [ConfigurationKeyName("MEDIALIB_S3_FORCE_PATH_STYLE")]
    public bool ForcePathStyle { get; set; }

    /// <summary>Public (or CDN) base the bucket's objects are served from, for MEDIALIB_DELIVERY=direct.</summary>
    [ConfigurationKeyName("MEDIALIB_PUBLIC_BASE_URL")]
    public string? PublicBaseUrl { get; set; }

    /// <summary>Multipart part size; one part is the most an upload holds in memory.</summary>
    [ConfigurationKeyName("MEDIALIB_S3_PART_SIZE_MB")]
    [Range(5, 512, ErrorMessage = "MEDIALIB_S3_PART_SIZE_MB is from 5 to 512 (S3's smallest part is 5 MiB).")]
    public int PartSizeMb { get; set; } = 8;
}
