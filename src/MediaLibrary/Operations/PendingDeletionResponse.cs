using MediaLibrary.Cleanup;

namespace MediaLibrary.Operations;

public sealed record PendingDeletionResponse(
    long Id, long? MediaId, string StorageKey, string Provider, string Reason, string Status, int Attempts,
    DateTime CreatedAt, DateTime NextAttemptAt, string? LastError)
{
    public static PendingDeletionResponse From(PendingDeletion p) => new(
        p.Id, p.MediaId, p.StorageKey, p.Provider, p.Reason, p.Status == PendingDeletionStatus.Dead ? "dead" : "pending",
        p.Attempts, p.CreatedAt, p.NextAttemptAt, p.LastError);
}
