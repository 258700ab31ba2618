using System.ComponentModel.DataAnnotations;

namespace MediaLibrary.Hosting;

/// <summary>What /health calls a nearly full disk.</summary>
public sealed class HealthOptions
{
    /// <summary>Below this much free space the database's (SQLite) or the storage's (local) disk makes /health Degraded; 0 turns it off.</summary>
    [ConfigurationKeyName("MEDIALIB_LOW_DISK_MB")]
    [Range(0, 1 << 24, ErrorMessage = "MEDIALIB_LOW_DISK_MB must be between 0 and 16777216 (16 TiB).")]
    public int LowDiskMegabytes { get; set; } = 256;

    /// <summary>Whether <paramref name="freeBytes"/> is below the threshold.</summary>
    public bool IsLow(long? freeBytes) => freeBytes is { } free && free < (long)LowDiskMegabytes << 20;
}
