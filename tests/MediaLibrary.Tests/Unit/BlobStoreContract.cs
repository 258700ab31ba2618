using MediaLibrary.Storage;
using MediaLibrary.Storage.Local;
using MediaLibrary.Storage.S3;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Tests.Unit;

/// <summary>What every storage adapter must do; each adapter subclasses this once.</summary>
public abstract class BlobStoreContract
{
    protected abstract IBlobStore Store { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Key(string last = "original") => $"{StorageKeys.NewId()}/{StorageKeys.NewId()}/{last}";

    [Fact]
    public async Task Upload_ThenOpen_ReturnsTheSameBytes()
    {
        var key = Key();
        var bytes = TestFiles.Random(200_000, seed: 7);
        var stored = await Store.UploadAsync(key, new MemoryStream(bytes), "application/pdf", Ct);
        Assert.Equal(new StoredBlob(key, bytes.Length), stored);
        await using var read = await Store.OpenReadAsync(key, Ct);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy, Ct);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task Open_MissingKey_ThrowsNotFound()
    {
        await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.OpenReadAsync(Key(), Ct));
    }

    [Fact]
    public async Task Delete_PresentAndMissingObjects_BothSucceed()
    {
        var key = Key();
        await Store.UploadAsync(key, new MemoryStream([1, 2, 3]), "application/octet-stream", Ct);
        await Store.DeleteAsync(key, Ct);
        await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.OpenReadAsync(key, Ct));
        await Store.DeleteAsync(key, Ct);
        await Store.DeleteAsync(Key(), Ct);
    }

    [Fact]
    public async Task Upload_ToAnExistingKey_IsRefused_AndKeepsTheFirstObject()
    {
        var key = Key();
        await Store.UploadAsync(key, new MemoryStream([1]), "application/octet-stream", Ct);
        await Assert.ThrowsAsync<BlobAlreadyExistsException>(() => Store.UploadAsync(key, new MemoryStream([2]), "application/octet-stream", Ct));
        await using var read = await Store.OpenReadAsync(key, Ct);
        Assert.Equal(1, read.ReadByte());
    }

    [Fact]
    public async Task Upload_WhenTheSourceFails_LeavesNothingBehind()
    {
        var key = Key();
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.UploadAsync(key, new FailingStream(), "application/octet-stream", Ct));
        await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.OpenReadAsync(key, Ct));
        Assert.Empty(await ListAsync(key));
    }

    [Fact]
    public async Task List_ReturnsExactlyTheObjectsUnderThePrefix()
    {
        var prefix = StorageKeys.NewId();
        var keys = new[] { $"{prefix}/a/original", $"{prefix}/b/original", $"{prefix}/b/w_320" };
        foreach (var k in keys) await Store.UploadAsync(k, new MemoryStream([9, 9]), "application/octet-stream", Ct);
        await Store.UploadAsync(Key(), new MemoryStream([1]), "application/octet-stream", Ct);

        var listed = await ListAsync(prefix + "/");
        Assert.Equal(keys, listed.Select(i => i.Key).Order(StringComparer.Ordinal));
        Assert.All(listed, i => Assert.Equal(2, i.Size));
    }

    [Fact]
    public async Task List_IsInOrdinalKeyOrder_AndResumesAfterAKey()
    {
        var p = StorageKeys.NewId();
        // '-' sorts before '/', so "ab-c/…" comes before "ab/…": a naive folder walk gets this wrong.
        var keys = new[] { $"{p}/ab/original", $"{p}/ab-c/original", $"{p}/ab/w_320", $"{p}/b/original", $"{p}/a_b/original" };
        foreach (var k in keys) await Store.UploadAsync(k, new MemoryStream([1]), "application/octet-stream", Ct);
        var sorted = keys.Order(StringComparer.Ordinal).ToList();

        Assert.Equal(sorted, (await ListAsync(p + "/")).Select(i => i.Key));
        for (var i = 0; i < sorted.Count; i++)
        {
            var rest = new List<string>();
            await foreach (var item in Store.ListAsync(p + "/", sorted[i], Ct)) rest.Add(item.Key);
            Assert.Equal(sorted.Skip(i + 1), rest);
        }
    }

    [Fact]
    public async Task Exists_TellsPresentFromMissing()
    {
        var key = Key();
        Assert.False(await Store.ExistsAsync(key, Ct));
        await Store.UploadAsync(key, new MemoryStream([1]), "application/octet-stream", Ct);
        Assert.True(await Store.ExistsAsync(key, Ct));
        await Store.DeleteAsync(key, Ct);
        Assert.False(await Store.ExistsAsync(key, Ct));
    }

    [Fact]
    public async Task InvalidKeys_AreRejectedBeforeAnyIo()
    {
        foreach (var bad in new[] { "../escape", "a/../../b", "/abs", "UPPER/x" })
        {
            await Assert.ThrowsAsync<ArgumentException>(() => Store.UploadAsync(bad, new MemoryStream([1]), "text/plain", Ct));
            await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync(bad, Ct));
        }
    }

    [Fact]
    public async Task ConcurrentWritersToDistinctKeys_AllLand()
    {
        var prefix = StorageKeys.NewId();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Store.UploadAsync($"{prefix}/{i:x4}/original", new MemoryStream(TestFiles.Random(10_000, i)), "application/octet-stream", Ct)));
        Assert.Equal(16, (await ListAsync(prefix + "/")).Count);
    }

    [Fact]
    public async Task Check_Succeeds_AndLeavesNoProbe()
    {
        await Store.CheckAsync(Ct);
        Assert.Empty(await ListAsync("_check/"));
    }

    private async Task<List<BlobItem>> ListAsync(string prefix)
    {
        var items = new List<BlobItem>();
        await foreach (var item in Store.ListAsync(prefix, null, Ct)) items.Add(item);
        return items;
    }

    private sealed class FailingStream : Stream
    {
        private int _reads;
        public override int Read(byte[] buffer, int offset, int count) =>
            _reads++ < 3 ? count : throw new InvalidOperationException("source failed mid-way");
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => 0; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long o, SeekOrigin s) => throw new NotSupportedException();
        public override void SetLength(long v) => throw new NotSupportedException();
        public override void Write(byte[] b, int o, int c) => throw new NotSupportedException();
    }
}

public sealed class LocalBlobStoreTests : BlobStoreContract, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "medialib-store-" + Guid.NewGuid().ToString("n")[..8]);

    public LocalBlobStoreTests() => Store = new LocalBlobStore(Options.Create(new LocalStorageOptions { Root = _root }));

    protected override IBlobStore Store { get; }

    [Fact]
    public async Task Delete_PrunesEmptyFolders_ButKeepsTheRoot()
    {
        var key = $"{StorageKeys.NewId()}/{StorageKeys.NewId()}/original";
        await Store.UploadAsync(key, new MemoryStream([1]), "text/plain", TestContext.Current.CancellationToken);
        await Store.DeleteAsync(key, TestContext.Current.CancellationToken);
        Assert.False(Directory.Exists(Path.Combine(_root, key.Split('/')[0])));
        Assert.True(Directory.Exists(_root));
    }

    [Fact]
    public void Start_RemovesTempFilesOfUploadsThatDiedWithTheirProcess()
    {
        var stale = Path.Combine(_root, ".tmp", "stale");
        var fresh = Path.Combine(_root, ".tmp", "fresh");
        File.WriteAllBytes(stale, [1]);
        File.WriteAllBytes(fresh, [1]);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow - LocalBlobStore.StaleTempAge - TimeSpan.FromMinutes(1));
        _ = new LocalBlobStore(Options.Create(new LocalStorageOptions { Root = _root }));
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}

public sealed class S3BlobStoreTests : BlobStoreContract, IAsyncLifetime
{
    private S3BlobStore? _store;
    private S3Server? _server;
    private string _bucket = "";

    protected override IBlobStore Store => _store!;

    public async ValueTask InitializeAsync()
    {
        _server = await S3Server.GetAsync();
        _bucket = await _server.CreateBucketAsync();
        _store = new S3BlobStore(Options.Create(_server.Options(_bucket)));
    }

    [Fact]
    public async Task LargeObject_IsStreamedInParts_AndReadBackWhole()
    {
        var bytes = TestFiles.Random(12 * 1024 * 1024 + 123, seed: 3); // three 5 MiB parts, the last one short
        var key = $"{StorageKeys.NewId()}/{StorageKeys.NewId()}/original";
        var stored = await Store.UploadAsync(key, new NonSeekable(bytes), "application/octet-stream", TestContext.Current.CancellationToken);
        Assert.Equal(bytes.Length, stored.Size);
        await using var read = await Store.OpenReadAsync(key, TestContext.Current.CancellationToken);
        Assert.Equal(bytes.Length, read.Length);
        read.Seek(5 * 1024 * 1024 - 10, SeekOrigin.Begin); // a range across a part boundary
        var slice = new byte[20];
        await read.ReadExactlyAsync(slice, TestContext.Current.CancellationToken);
        Assert.Equal(bytes.AsSpan(5 * 1024 * 1024 - 10, 20).ToArray(), slice);
    }

    [Fact]
    public async Task WrongCredentials_AreAPermanentError_NeverNotFound()
    {
        // The test server checks access keys (not SigV4 signatures): an unknown key is refused as AWS refuses it.
        var wrong = new S3BlobStore(Options.Create(_server!.Options(_bucket, accessKey: "NOT-A-KEY")));
        var key = $"{StorageKeys.NewId()}/{StorageKeys.NewId()}/original";
        await Store.UploadAsync(key, new MemoryStream([1, 2, 3]), "application/octet-stream", TestContext.Current.CancellationToken);
        var delete = await Assert.ThrowsAsync<StorageException>(() => wrong.DeleteAsync(key, TestContext.Current.CancellationToken));
        Assert.True(delete.Permanent, delete.Message);
        Assert.IsNotType<BlobNotFoundException>(await Assert.ThrowsAnyAsync<StorageException>(() => wrong.OpenReadAsync(key, TestContext.Current.CancellationToken)));
        await Assert.ThrowsAsync<StorageException>(() => wrong.ExistsAsync(key, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<StorageException>(() => wrong.CheckAsync(TestContext.Current.CancellationToken));
        Assert.True(await Store.ExistsAsync(key, TestContext.Current.CancellationToken)); // a refused delete deleted nothing
    }

    [Fact]
    public async Task MissingBucket_FailsTheCheckWithItsName()
    {
        var missing = new S3BlobStore(Options.Create(_server!.Options("no-such-bucket-here")));
        var ex = await Assert.ThrowsAsync<StorageException>(() => missing.CheckAsync(TestContext.Current.CancellationToken));
        Assert.Contains("no-such-bucket-here", ex.Message);
    }

    public ValueTask DisposeAsync()
    {
        _store?.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class NonSeekable(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
