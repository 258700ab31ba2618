namespace MediaLibrary.Cleanup;

/// <summary>
/// One stored object that must go. Inserted in the same transaction that removes or replaces the row that
/// referenced it; deleted only after the storage confirmed the object is gone.
/// </summary>
public sealed class PendingDeletion
{
    public long Id { get; set; }
    public long? MediaId { get; set; }
    public required string StorageKey { get; set; }
    public required string Provider { get; set; }
    public required string Reason { get; set; }
    public PendingDeletionStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }

    /// <summary>While in the future, one worker (or the inline attempt) owns the entry.</summary>
    public DateTime? LeaseUntil { get; set; }

    public string? LastError { get; set; }

    /// <summary>
    /// For an upload's entry: what the unfinished upload leaves (an S3 multipart upload's id, a local temporary file),
    /// removed with the object should the upload never commit.
    /// </summary>
    public string? UploadId { get; set; }
}
