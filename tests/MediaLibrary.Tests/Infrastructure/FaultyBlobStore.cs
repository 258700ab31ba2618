using MediaLibrary.Storage;

namespace MediaLibrary.Tests.Infrastructure;

/// <summary>The real local store with switches that make its calls fail, for outage tests.</summary>
public sealed class FaultyBlobStore(IBlobStore inner) : IBlobStore
{
    public volatile bool FailDeletes;
    public volatile bool FailDeletesPermanently;
    public volatile bool FailUploads;

    public string Provider => inner.Provider;
    public string Describe() => inner.Describe();

    public Task<StoredBlob> UploadAsync(string key, Stream content, string contentType, CancellationToken ct) =>
        FailUploads ? throw new StorageException(Provider, key, "Injected upload failure.") : inner.UploadAsync(key, content, contentType, ct);

    public Task<StoredBlob> UploadAsync(string key, Stream content, string contentType, Func<string, CancellationToken, Task> started, CancellationToken ct) =>
        FailUploads ? throw new StorageException(Provider, key, "Injected upload failure.") : inner.UploadAsync(key, content, contentType, started, ct);

    public Task AbortUploadAsync(string key, string uploadId, CancellationToken ct) => inner.AbortUploadAsync(key, uploadId, ct);

    public IAsyncEnumerable<UnfinishedUpload> ListUnfinishedUploadsAsync(CancellationToken ct) => inner.ListUnfinishedUploadsAsync(ct);

    public Task<Stream> OpenReadAsync(string key, CancellationToken ct) => inner.OpenReadAsync(key, ct);
    public string? DirectUrl(string key) => inner.DirectUrl(key);
    public Task<string?> PresignedUrlAsync(string key, TimeSpan lifetime, CancellationToken ct) => inner.PresignedUrlAsync(key, lifetime, ct);

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        if (FailDeletesPermanently) throw new StorageException(Provider, key, "Injected: a request no retry can make valid.", permanent: true);
        if (FailDeletes) throw new StorageException(Provider, key, "Injected: storage unreachable.");
        return inner.DeleteAsync(key, ct);
    }

    /// <summary>When set, a listing fails after yielding this many objects (an interrupted walk).</summary>
    public int? FailListAfter;

    public async IAsyncEnumerable<BlobItem> ListAsync(string prefix, string? startAfter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var count = 0;
        await foreach (var item in inner.ListAsync(prefix, startAfter, ct))
        {
            if (count++ == FailListAfter) throw new StorageException(Provider, item.Key, "Injected: listing interrupted.");
            yield return item;
        }
    }
    public Task<bool> ExistsAsync(string key, CancellationToken ct) => inner.ExistsAsync(key, ct);
    public Task CheckAsync(CancellationToken ct) => inner.CheckAsync(ct);
}
