namespace MediaLibrary.Media;

/// <summary>
/// Remembers which media an upload with an Idempotency-Key created, per user, so that a retried upload returns
/// the first result instead of creating a second row and object. Committed in the same transaction as the media.
/// </summary>
public sealed class IdempotencyRecord
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public required string Key { get; set; }

    /// <summary>Null once the media was deleted.</summary>
    public long? MediaId { get; set; }

    public MediaItem? Media { get; set; }

    /// <summary>
    /// What the first request sent (<see cref="MediaLifecycle.Fingerprint"/>): a retry must send the same, or it is
    /// refused with 422. Null for records made before fingerprints, which replay as before.
    /// </summary>
    public string? Fingerprint { get; set; }
    public DateTime CreatedAt { get; set; }
}
