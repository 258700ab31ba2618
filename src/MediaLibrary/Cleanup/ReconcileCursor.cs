namespace MediaLibrary.Cleanup;

/// <summary>Where an unfinished reconcile run stopped, so the next run resumes there instead of starting over.</summary>
public sealed class ReconcileCursor
{
    /// <summary>"apply" or "dry-run": a dry run never moves the cursor of a real run.</summary>
    public required string Name { get; set; }

    /// <summary>"objects" (walking the storage) or "rows" (checking media rows).</summary>
    public required string Phase { get; set; }

    public string? LastKey { get; set; }
    public long LastMediaId { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
