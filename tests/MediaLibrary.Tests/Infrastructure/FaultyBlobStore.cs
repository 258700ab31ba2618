using MediaLibrary.Storage;

namespace MediaLibrary.Tests.Infrastructure;

/// <summary>The real local store with switches that make its calls fail, for outage tests.</summary>
public sealed class FaultyBlobStore(IBlobStore inner) : IBlobStore
{
    public volatile bool FailDeletes;
    public volatile bool FailDeletesPermanently;
    public volatile bool FailUploads;

    /// <summary>Uploads are written, then reported failed (a timeout whose work was done).</summary>
    public volatile bool FailAfterUploads;

    /// <summary>Runs before each upload's first byte, with the key.</summary>
    public Func<string, Task>? BeforeUpload;

    public string Provider => inner.Provider;
    public string Describe() => inner.Describe();

    public Task<StoredBlob> UploadAsync(string key, Stream content, string contentType, CancellationToken ct) =>
        UploadAsync(key, content, contentType, (_, _) => Task.CompletedTask, ct);

    public async Task<StoredBlob> UploadAsync(string key, Stream content, string contentType, Func<string, CancellationToken, Task> started, CancellationToken ct)
    {
        if (BeforeUpload is { } before) await before(key);
        if (FailUploads) throw new StorageException(Provider, key, "Injected upload failure.");
        var stored = await inner.UploadAsync(key, content, contentType, started, ct);
        if (FailAfterUploads) throw new StorageException(Provider, key, "Injected: the upload timed out after it was done.", new TimeoutException());
        return stored;
    }

    public Task AbortUploadAsync(string key, string uploadId, CancellationToken ct) => inner.AbortUploadAsync(key, uploadId, ct);

    public bool Resumable => inner.Resumable;

    public Task<string> BeginResumableAsync(string key, string contentType, CancellationToken ct) => inner.BeginResumableAsync(key, contentType, ct);

    /// <summary>Pieces of resumable uploads are stored, then reported failed when <see cref="FailUploads"/> is set.</summary>
    public async Task<ResumableProgress> AppendResumableAsync(string key, string uploadId, long offset, string? state, Stream content, CancellationToken ct)
    {
        var progress = await inner.AppendResumableAsync(key, uploadId, offset, state, content, ct);
        if (FailUploads) throw new StorageException(Provider, key, "Injected: the append timed out after it was done.", new TimeoutException());
        return progress;
    }

    /// <summary>Completed, then reported failed when <see cref="FailAfterUploads"/> is set (an answer that never came).</summary>
    public async Task<StoredBlob> CompleteResumableAsync(string key, string uploadId, long length, string? state, CancellationToken ct)
    {
        var stored = await inner.CompleteResumableAsync(key, uploadId, length, state, ct);
        if (FailAfterUploads) throw new StorageException(Provider, key, "Injected: the completion timed out after it was done.", new TimeoutException());
        return stored;
    }

    public Task EnsureContentTypeAsync(string key, string contentType, CancellationToken ct) => inner.EnsureContentTypeAsync(key, contentType, ct);

    public bool DirectUploads => inner.DirectUploads;

    public bool DirectUploadsNameParts => inner.DirectUploadsNameParts;

    public Task<DirectUpload> BeginDirectAsync(string key, string contentType, long length, TimeSpan lifetime, CancellationToken ct) =>
        inner.BeginDirectAsync(key, contentType, length, lifetime, ct);

    public Task<StoredBlob> CompleteDirectAsync(string key, string uploadId, IReadOnlyList<string> etags, CancellationToken ct) =>
        inner.CompleteDirectAsync(key, uploadId, etags, ct);

    public Task AbortUploadsOfAsync(string key, CancellationToken ct) => inner.AbortUploadsOfAsync(key, ct);

    public IAsyncEnumerable<UnfinishedUpload> ListUnfinishedUploadsAsync(CancellationToken ct) => inner.ListUnfinishedUploadsAsync(ct);

    /// <summary>Runs after an object was opened for reading and before its stream is handed back.</summary>
    public Func<string, Task>? AfterOpenRead;

    public async Task<Stream> OpenReadAsync(string key, CancellationToken ct)
    {
        var stream = await inner.OpenReadAsync(key, ct);
        if (AfterOpenRead is { } after) await after(key);
        return stream;
    }
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
