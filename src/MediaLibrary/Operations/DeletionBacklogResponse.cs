using MediaLibrary.Cleanup;

namespace MediaLibrary.Operations;

public sealed record DeletionBacklogResponse(
    int PendingCount, int DeadCount, double? OldestPendingAgeSeconds, CleanupCounters Counters, IReadOnlyList<PendingDeletionResponse> Entries);
