using System.ComponentModel.DataAnnotations;

namespace MediaLibrary.Uploads;

public sealed class UploadOptions
{
    /// <summary>An unfinished resumable upload is deleted this long after its last piece.</summary>
    [ConfigurationKeyName("MEDIALIB_UPLOAD_EXPIRY_HOURS")]
    [Range(0.0001, 24 * 365, ErrorMessage = "MEDIALIB_UPLOAD_EXPIRY_HOURS must be a positive number of hours.")]
    public double ExpiryHours { get; set; } = 24;

    /// <summary>How many unfinished resumable uploads one user may have at once.</summary>
    [ConfigurationKeyName("MEDIALIB_UPLOAD_MAX_PENDING")]
    [Range(1, 10_000, ErrorMessage = "MEDIALIB_UPLOAD_MAX_PENDING must be between 1 and 10000.")]
    public int MaxPending { get; set; } = 20;

    /// <summary>How many bytes one user's unfinished resumable uploads may announce together.</summary>
    [ConfigurationKeyName("MEDIALIB_UPLOAD_MAX_PENDING_BYTES")]
    [Range(1, long.MaxValue, ErrorMessage = "MEDIALIB_UPLOAD_MAX_PENDING_BYTES must be a positive number of bytes.")]
    public long MaxPendingBytes { get; set; } = 20L << 30;
}
