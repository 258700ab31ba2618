using MediaLibrary.Storage;

namespace MediaLibrary.Cleanup;

/// <summary>
/// Deletes a stored object from one configured storage: the handler for the entries named after that storage's
/// provider, and the only caller of the storage port's DeleteAsync: BannedSymbols.txt bans it everywhere else.
/// </summary>
public sealed class BlobDeletion(IBlobStore store) : ICleanupHandler
{
    public string Kind => store.Provider;

#pragma warning disable RS0030 // the cleanup queue is the one code path that deletes stored objects
    public Task ExecuteAsync(PendingDeletion entry, CancellationToken ct) => store.DeleteAsync(entry.StorageKey, ct);
#pragma warning restore RS0030
}
