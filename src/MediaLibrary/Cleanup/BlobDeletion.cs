using MediaLibrary.Storage;

namespace MediaLibrary.Cleanup;

/// <summary>
/// Deletes a stored object from one configured storage: the handler for the entries named after that storage's
/// provider, and the only caller of the storage port's DeleteAsync: BannedSymbols.txt bans it everywhere else.
/// </summary>
public sealed class BlobDeletion(IBlobStore store) : ICleanupHandler
{
    public string Kind => store.Provider;

    /// <summary>
    /// An upload's entry first removes what the unfinished upload left (parts, a temporary file), then the object. With
    /// no id recorded, the upload may have begun in the moment before it could be: whatever is under the key goes.
    /// </summary>
    public async Task ExecuteAsync(PendingDeletion entry, CancellationToken ct)
    {
        if (entry.UploadId is not null) await store.AbortUploadAsync(entry.StorageKey, entry.UploadId, ct);
        else if (entry.Reason == CleanupQueue.UploadReason) await store.AbortUploadsOfAsync(entry.StorageKey, ct);
#pragma warning disable RS0030 // the cleanup queue is the one code path that deletes stored objects
        await store.DeleteAsync(entry.StorageKey, ct);
#pragma warning restore RS0030
    }
}
