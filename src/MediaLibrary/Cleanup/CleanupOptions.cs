using System.ComponentModel.DataAnnotations;

namespace MediaLibrary.Cleanup;

public sealed class CleanupOptions
{
    [ConfigurationKeyName("MEDIALIB_CLEANUP_INTERVAL_SECONDS")]
    [Range(1, 3600, ErrorMessage = "MEDIALIB_CLEANUP_INTERVAL_SECONDS must be between 1 and 3600.")]
    public int IntervalSeconds { get; set; } = 15;

    /// <summary>After this many failed attempts an entry is marked dead (it stays, visible, until resolved).</summary>
    [ConfigurationKeyName("MEDIALIB_CLEANUP_MAX_ATTEMPTS")]
    [Range(1, 1000, ErrorMessage = "MEDIALIB_CLEANUP_MAX_ATTEMPTS must be between 1 and 1000.")]
    public int MaxAttempts { get; set; } = 12;

    /// <summary>First retry delay; doubles per attempt (with ±20 % jitter), capped at one hour.</summary>
    [ConfigurationKeyName("MEDIALIB_CLEANUP_BASE_DELAY_SECONDS")]
    [Range(0.01, 3600, ErrorMessage = "MEDIALIB_CLEANUP_BASE_DELAY_SECONDS must be between 0.01 and 3600.")]
    public double BaseDelaySeconds { get; set; } = 5;

    /// <summary>/health turns Degraded while a pending deletion is older than this, or any is dead.</summary>
    [ConfigurationKeyName("MEDIALIB_CLEANUP_BACKLOG_THRESHOLD_MINUTES")]
    [Range(1, 100_000, ErrorMessage = "MEDIALIB_CLEANUP_BACKLOG_THRESHOLD_MINUTES must be between 1 and 100000.")]
    public int BacklogThresholdMinutes { get; set; } = 15;

    /// <summary>How long one worker owns an entry it claimed before another may take it over.</summary>
    [ConfigurationKeyName("MEDIALIB_CLEANUP_LEASE_SECONDS")]
    [Range(5, 86400, ErrorMessage = "MEDIALIB_CLEANUP_LEASE_SECONDS must be between 5 and 86400.")]
    public int LeaseSeconds { get; set; } = 300;

    /// <summary>
    /// An upload's own pending deletion (of the object it is writing) falls due this long after the upload last showed
    /// it is alive; a live upload pushes it on every quarter of it, so only a dead one's comes due.
    /// </summary>
    [ConfigurationKeyName("MEDIALIB_UPLOAD_GRACE_SECONDS")]
    [Range(2, 86400, ErrorMessage = "MEDIALIB_UPLOAD_GRACE_SECONDS must be between 2 and 86400.")]
    public int UploadGraceSeconds { get; set; } = 600;

    /// <summary>Base URL of the HTTP cache in front of /files/ that takes PURGE requests; empty: no cache to purge.</summary>
    [ConfigurationKeyName("MEDIALIB_CACHE_PURGE_URL")]
    [RegularExpression("^https?://[^\\s]+$", ErrorMessage = "MEDIALIB_CACHE_PURGE_URL is an http(s) URL, such as http://127.0.0.1/.")]
    public string? CachePurgeUrl { get; set; }

    /// <summary>
    /// A retired version is purged right after its objects are deleted, and once more after this long: a cache fetch
    /// that was in flight during the change may have stored the file again after the first purge.
    /// </summary>
    [ConfigurationKeyName("MEDIALIB_CACHE_PURGE_AGAIN_SECONDS")]
    [Range(1, 86400, ErrorMessage = "MEDIALIB_CACHE_PURGE_AGAIN_SECONDS must be between 1 and 86400.")]
    public int CachePurgeAgainSeconds { get; set; } = 60;
}
