using System.Runtime.CompilerServices;
using MediaLibrary.Storage;

namespace MediaLibrary.Tests.Chaos;

/// <summary>
/// Wraps a real store and, at seeded rates, fails calls before they act, fails them after they acted (a timeout
/// whose work was done), adds latency, or crashes the request right after a write or right before a delete.
/// </summary>
public sealed class ChaosBlobStore(IBlobStore inner, int seed) : IBlobStore
{
    private readonly Random _random = new(seed);
    private readonly Lock _lock = new();

    public bool Enabled { get; set; }
    public double ErrorRate { get; set; } = 0.06;
    public double AmbiguousRate { get; set; } = 0.04;
    public double CrashRate { get; set; } = 0.03;
    public int Faults { get; private set; }

    /// <summary>Keys written whose caller was then told of a failure: the only objects allowed to end up orphans.</summary>
    public HashSet<string> StrandedKeys { get; } = [];
    public int Crashes { get; private set; }

    public string Provider => inner.Provider;
    public string Describe() => inner.Describe();

    public Task<StoredBlob> UploadAsync(string key, Stream content, string contentType, CancellationToken ct) =>
        UploadAsync(key, content, contentType, (_, _) => Task.CompletedTask, ct);

    public async Task<StoredBlob> UploadAsync(string key, Stream content, string contentType, Func<string, CancellationToken, Task> started, CancellationToken ct)
    {
        var fault = await BeforeAsync(ct);
        var stored = await inner.UploadAsync(key, content, contentType, started, ct);
        if (fault is Fault.Ambiguous or Fault.Crash)
            lock (_lock) StrandedKeys.Add(key);
        After(fault, "upload");
        return stored;
    }

    public Task AbortUploadAsync(string key, string uploadId, CancellationToken ct) => inner.AbortUploadAsync(key, uploadId, ct);

    public Task AbortUploadsOfAsync(string key, CancellationToken ct) => inner.AbortUploadsOfAsync(key, ct);

    public IAsyncEnumerable<UnfinishedUpload> ListUnfinishedUploadsAsync(CancellationToken ct) => inner.ListUnfinishedUploadsAsync(ct);

    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        var fault = await BeforeAsync(ct);
        if (fault == Fault.Crash) throw Crash(); // between the commit that queued it and the storage call
        await inner.DeleteAsync(key, ct);
        After(fault, "delete");
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken ct) => inner.OpenReadAsync(key, ct);
    public string? DirectUrl(string key) => inner.DirectUrl(key);
    public Task<string?> PresignedUrlAsync(string key, TimeSpan lifetime, CancellationToken ct) => inner.PresignedUrlAsync(key, lifetime, ct);
    public Task<bool> ExistsAsync(string key, CancellationToken ct) => inner.ExistsAsync(key, ct);
    public Task CheckAsync(CancellationToken ct) => inner.CheckAsync(ct);

    public async IAsyncEnumerable<BlobItem> ListAsync(string prefix, string? startAfter, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var item in inner.ListAsync(prefix, startAfter, ct)) yield return item;
    }

    private enum Fault { None, Error, Ambiguous, Crash }

    private async Task<Fault> BeforeAsync(CancellationToken ct)
    {
        CrashScope.ThrowIfCrashed();
        if (!Enabled) return Fault.None;
        double roll;
        int latency;
        lock (_lock)
        {
            roll = _random.NextDouble();
            latency = _random.Next(0, 4);
        }
        if (latency > 0) await Task.Delay(latency, ct);
        if (roll < ErrorRate)
        {
            lock (_lock) Faults++;
            throw new StorageException(Provider, "", "Injected: storage error before acting.");
        }
        if (roll < ErrorRate + AmbiguousRate) return Fault.Ambiguous;
        if (roll < ErrorRate + AmbiguousRate + CrashRate) return Fault.Crash;
        return Fault.None;
    }

    private void After(Fault fault, string what)
    {
        switch (fault)
        {
            case Fault.Ambiguous:
                lock (_lock) Faults++;
                throw new StorageException(Provider, "", $"Injected: {what} timed out after it was done.", new TimeoutException());
            case Fault.Crash:
                throw Crash(); // right after the object was written, before any row refers to it
        }
    }

    private SimulatedCrashException Crash()
    {
        lock (_lock) Crashes++;
        return CrashScope.CrashNow();
    }
}
