namespace MediaLibrary.Cleanup;

/// <summary>
/// Carries out one kind of queued work: the entries whose <see cref="PendingDeletion.Provider"/> is <see cref="Kind"/>.
/// The queue finds the handler by kind and never looks inside an entry itself. A storage's object deletions are one
/// kind per configured storage (<see cref="BlobDeletion"/>); a feature that needs work done after its commit, such as
/// a cache purge, registers a handler of its own kind and queues entries of that kind in its transaction.
/// </summary>
/// <remarks>
/// The contract is the storage port's delete contract: return when the work is done or was done before (idempotent);
/// throw for every failure, a <see cref="Storage.StorageException"/> with <c>Permanent</c> set when no retry can help.
/// The queue retries with backoff and marks the entry dead after the attempt limit.
/// </remarks>
public interface ICleanupHandler
{
    /// <summary>The entry kind this handler carries out, stored as the entry's provider.</summary>
    string Kind { get; }

    /// <summary>What the queue's log lines call carrying out an entry, before its key: "Deleting", "Purging", "Delivering".</summary>
    string Work => "Deleting";

    /// <summary>
    /// True when a worker of the feature's own takes this kind's entries (<see cref="CleanupQueue.ProcessDueAsync"/> with
    /// the kind), so that slow work (an HTTP call with its time limit) never holds up the storage deletions.
    /// </summary>
    bool HasOwnWorker => false;

    Task ExecuteAsync(PendingDeletion entry, CancellationToken ct);

    /// <summary>
    /// Writes what the last <see cref="ExecuteAsync"/> learned (a delivery's status and answer) in the transaction that
    /// records the entry's outcome, its removal or its failed attempt, so that an attempt commits once after its claim.
    /// Called after every <see cref="ExecuteAsync"/> that returned or threw, never after a cancelled one.
    /// </summary>
    Task RecordOutcomeAsync(PendingDeletion entry) => Task.CompletedTask;
}
