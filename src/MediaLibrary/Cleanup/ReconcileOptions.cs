using System.ComponentModel.DataAnnotations;

namespace MediaLibrary.Cleanup;

public sealed class ReconcileOptions
{
    /// <summary>0 (the default) leaves periodic reconciling off; the `reconcile` verb works either way.</summary>
    [ConfigurationKeyName("MEDIALIB_RECONCILE_INTERVAL_MINUTES")]
    [Range(0, 100_000, ErrorMessage = "MEDIALIB_RECONCILE_INTERVAL_MINUTES must be between 0 (off) and 100000.")]
    public int IntervalMinutes { get; set; }

    /// <summary>Objects younger than this are never orphans: their upload may still be on its way to a commit.</summary>
    [ConfigurationKeyName("MEDIALIB_RECONCILE_GRACE_MINUTES")]
    [Range(1, 100_000, ErrorMessage = "MEDIALIB_RECONCILE_GRACE_MINUTES must be between 1 and 100000.")]
    public int GraceMinutes { get; set; } = 60;
}
