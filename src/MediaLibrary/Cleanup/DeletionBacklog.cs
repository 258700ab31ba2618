namespace MediaLibrary.Cleanup;

public sealed record DeletionBacklog(int PendingCount, int DeadCount, TimeSpan? OldestPendingAge, IReadOnlyList<PendingDeletion> Entries);
