using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using MediaLibrary.Storage;
using MediaLibrary.Storage.Cloudinary;
using MediaLibrary.Storage.Local;
using MediaLibrary.Storage.S3;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
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
        Assert.EndsWith(key, stored.Key); // the key itself, or the provider's locator around it
        Assert.Equal(bytes.Length, stored.Size);
        Assert.Equal(bytes, await ReadAsync(stored.Key));
    }

    [Fact]
    public async Task Open_IsSeekable_ForRangeRequests()
    {
        var bytes = TestFiles.Random(50_000, seed: 9);
        var stored = await Store.UploadAsync(Key(), new MemoryStream(bytes), "application/octet-stream", Ct);
        await using var read = await Store.OpenReadAsync(stored.Key, Ct);
        Assert.True(read.CanSeek);
        Assert.Equal(bytes.Length, read.Length);
        read.Seek(40_000, SeekOrigin.Begin);
        var slice = new byte[100];
        await read.ReadExactlyAsync(slice, Ct);
        Assert.Equal(bytes.AsSpan(40_000, 100).ToArray(), slice);
    }

    [Fact]
    public async Task Open_MissingKey_ThrowsNotFound()
    {
        var stored = await Store.UploadAsync(Key(), new MemoryStream([1]), "application/octet-stream", Ct);
        await Store.DeleteAsync(stored.Key, Ct);
        await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.OpenReadAsync(stored.Key, Ct));
    }

    [Fact]
    public async Task Delete_PresentAndMissingObjects_BothSucceed()
    {
        var stored = await Store.UploadAsync(Key(), new MemoryStream([1, 2, 3]), "application/octet-stream", Ct);
        await Store.DeleteAsync(stored.Key, Ct);
        Assert.False(await Store.ExistsAsync(stored.Key, Ct));
        await Store.DeleteAsync(stored.Key, Ct);
    }

    [Theory]
    [InlineData("application/pdf")]
    [InlineData("image/png")]
    [InlineData("video/mp4")]
    public async Task Delete_OfTheKeyAnUploadAskedFor_RemovesIt_WhateverItsType(string contentType)
    {
        // What an upload's entry holds when the storage's answer never came: the key asked for, not the one returned.
        var key = Key();
        var stored = await Store.UploadAsync(key, new MemoryStream(contentType == "image/png" ? TestFiles.Png(3, 3) : TestFiles.Pdf()), contentType, Ct);
        await Store.DeleteAsync(key, Ct);
        Assert.False(await Store.ExistsAsync(stored.Key, Ct));
    }

    [Fact]
    public async Task Upload_ToAnExistingKey_IsRefused_AndKeepsTheFirstObject()
    {
        var key = Key();
        var first = await Store.UploadAsync(key, new MemoryStream([1]), "application/octet-stream", Ct);
        await Assert.ThrowsAsync<BlobAlreadyExistsException>(() => Store.UploadAsync(key, new MemoryStream([2]), "application/octet-stream", Ct));
        Assert.Equal([1], await ReadAsync(first.Key));
    }

    [Fact]
    public async Task Upload_WhenTheSourceFails_LeavesNothingBehind()
    {
        var key = Key();
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.UploadAsync(key, new FailingStream(), "application/octet-stream", Ct));
        Assert.DoesNotContain(await ListAsync(""), i => i.Key.EndsWith(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task List_ReturnsEveryObject_WithItsSize()
    {
        var p = StorageKeys.NewId();
        var keys = new[] { $"{p}/a/original", $"{p}/b/original", $"{p}/b/w_320" };
        var stored = new List<string>();
        foreach (var k in keys) stored.Add((await Store.UploadAsync(k, new MemoryStream([9, 9]), "application/octet-stream", Ct)).Key);

        var listed = (await ListAsync("")).Where(i => i.Key.Contains(p, StringComparison.Ordinal)).ToList();
        Assert.Equal(stored.Order(StringComparer.Ordinal), listed.Select(i => i.Key));
        Assert.All(listed, i => Assert.Equal(2, i.Size));
    }

    [Fact]
    public async Task List_ByPrefix_ReturnsExactlyTheObjectsUnderIt()
    {
        var p = StorageKeys.NewId();
        var stored = new List<string>();
        foreach (var k in new[] { $"{p}/a/original", $"{p}/b/original" })
            stored.Add((await Store.UploadAsync(k, new MemoryStream([5]), "application/octet-stream", Ct)).Key);
        await Store.UploadAsync(Key(), new MemoryStream([6]), "application/octet-stream", Ct);
        var prefix = stored[0][..(stored[0].IndexOf(p, StringComparison.Ordinal) + p.Length + 1)];

        var listed = await ListAsync(prefix);
        Assert.NotEmpty(listed);
        Assert.Equal(stored.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal), listed.Select(i => i.Key));
    }

    [Fact]
    public async Task LargeObject_StreamsThrough_AndReadsBackAtAnyOffset()
    {
        var bytes = TestFiles.Random(12 * 1024 * 1024 + 123, seed: 3); // crosses 5 MiB part and chunk sizes
        var stored = await Store.UploadAsync(Key(), new NonSeekableStream(bytes), "video/mp4", Ct);
        Assert.Equal(bytes.Length, stored.Size);
        await using var read = await Store.OpenReadAsync(stored.Key, Ct);
        Assert.Equal(bytes.Length, read.Length);
        read.Seek(5 * 1024 * 1024 - 10, SeekOrigin.Begin);
        var slice = new byte[20];
        await read.ReadExactlyAsync(slice, Ct);
        Assert.Equal(bytes.AsSpan(5 * 1024 * 1024 - 10, 20).ToArray(), slice);
        read.Seek(0, SeekOrigin.Begin);
        using var whole = new MemoryStream();
        await read.CopyToAsync(whole, Ct);
        Assert.Equal(bytes, whole.ToArray());
    }

    [Fact]
    public async Task List_IsInOrdinalKeyOrder_AndResumesAfterAKey()
    {
        var p = StorageKeys.NewId();
        // '-' sorts before '/', so "ab-c/…" comes before "ab/…": a naive folder walk gets this wrong.
        var stored = new List<string>();
        foreach (var k in new[] { $"{p}/ab/original", $"{p}/ab-c/original", $"{p}/ab/w_320", $"{p}/b/original", $"{p}/a_b/original" })
            stored.Add((await Store.UploadAsync(k, new MemoryStream([1]), "application/octet-stream", Ct)).Key);
        var sorted = stored.Order(StringComparer.Ordinal).ToList();

        var all = (await ListAsync("")).Select(i => i.Key).ToList();
        Assert.Equal(all.Order(StringComparer.Ordinal), all);
        Assert.Equal(sorted, all.Where(stored.Contains));
        for (var i = 0; i < sorted.Count; i++)
        {
            var rest = new List<string>();
            await foreach (var item in Store.ListAsync("", sorted[i], Ct)) rest.Add(item.Key);
            Assert.Equal(sorted.Skip(i + 1), rest.Where(stored.Contains));
            Assert.All(rest, k => Assert.True(string.CompareOrdinal(k, sorted[i]) > 0));
        }
    }

    [Fact]
    public async Task Exists_TellsPresentFromMissing()
    {
        var stored = await Store.UploadAsync(Key(), new MemoryStream([1]), "application/octet-stream", Ct);
        Assert.True(await Store.ExistsAsync(stored.Key, Ct));
        await Store.DeleteAsync(stored.Key, Ct);
        Assert.False(await Store.ExistsAsync(stored.Key, Ct));
    }

    [Fact]
    public async Task KeysWithEveryAllowedCharacter_RoundTrip()
    {
        var key = $"{StorageKeys.NewId()}/{StorageKeys.NewId()}/w_320,h_200,f_webp.q-80";
        var stored = await Store.UploadAsync(key, new MemoryStream([7, 7]), "image/webp", Ct);
        Assert.Equal([7, 7], await ReadAsync(stored.Key));
        Assert.Contains(await ListAsync(""), i => i.Key == stored.Key);
    }

    [Fact]
    public async Task InvalidKeys_AreRejectedBeforeAnyIo()
    {
        foreach (var bad in new[] { "../escape", "a/../../b", "/abs", "UPPER/x", "sp ace/x", "ünï/x" })
        {
            await Assert.ThrowsAsync<ArgumentException>(() => Store.UploadAsync(bad, new MemoryStream([1]), "text/plain", Ct));
            await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync(bad, Ct));
        }
    }

    [Fact]
    public async Task ConcurrentWritersToDistinctKeys_AllLand()
    {
        var prefix = StorageKeys.NewId();
        var stored = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Store.UploadAsync($"{prefix}/{i:x4}/original", new MemoryStream(TestFiles.Random(10_000, i)), "application/octet-stream", Ct)));
        var listed = (await ListAsync("")).Select(i => i.Key).ToHashSet();
        Assert.All(stored, s => Assert.Contains(s.Key, listed));
        for (var i = 0; i < 16; i++) Assert.Equal(TestFiles.Random(10_000, i), await ReadAsync(stored[i].Key));
    }

    [Fact]
    public async Task Check_Succeeds_AndLeavesNoProbe()
    {
        await Store.CheckAsync(Ct);
        Assert.DoesNotContain(await ListAsync(""), i => i.Key.Contains("_check/", StringComparison.Ordinal));
    }

    private async Task<byte[]> ReadAsync(string key)
    {
        await using var read = await Store.OpenReadAsync(key, Ct);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }

    protected async Task<List<BlobItem>> ListAsync(string prefix)
    {
        var items = new List<BlobItem>();
        await foreach (var item in Store.ListAsync(prefix, null, Ct)) items.Add(item);
        return items;
    }

    protected sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
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
    public async Task Upload_FlushesEveryFolderWhoseEntriesItChanged_AndDeleteTheOneItLeft()
    {
        var store = (LocalBlobStore)Store;
        var synced = new List<string>();
        store.Synced = synced.Add;
        var (first, second) = (StorageKeys.NewId(), StorageKeys.NewId());
        var key = $"{first}/{second}/original";
        await store.UploadAsync(key, new MemoryStream([1]), "text/plain", TestContext.Current.CancellationToken);
        // The object's name in its folder, and the two new folders' names in theirs.
        Assert.Equal([Path.Combine(_root, first, second), Path.Combine(_root, first), _root], synced);

        synced.Clear();
        var sibling = $"{first}/{second}/w_320";
        await store.UploadAsync(sibling, new MemoryStream([2]), "text/plain", TestContext.Current.CancellationToken);
        Assert.Equal([Path.Combine(_root, first, second)], synced); // no folder was new

        synced.Clear();
        await store.DeleteAsync(sibling, TestContext.Current.CancellationToken);
        Assert.Equal([Path.Combine(_root, first, second)], synced); // the folder stays, holding the original
        synced.Clear();
        await store.DeleteAsync(key, TestContext.Current.CancellationToken);
        Assert.Equal([_root], synced); // both folders went: the root's entries changed last
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

    /// <summary>The bucket through the SDK alone, to leave what a killed process leaves.</summary>
    private AmazonS3Client RawClient() => new(new BasicAWSCredentials(S3Server.AccessKey, S3Server.SecretKey),
        new AmazonS3Config { ServiceURL = _server!.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    [Fact]
    public async Task AnUnfinishedMultipartUpload_IsListed_AndAbortingItRemovesItsParts()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = RawClient();
        var key = $"{StorageKeys.NewId()}/{StorageKeys.NewId()}/original";
        // What a process killed between two parts leaves: an upload begun, one part sent, never completed.
        var begun = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = key }, ct);
        await client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = _bucket, Key = key, UploadId = begun.UploadId, PartNumber = 1, InputStream = new MemoryStream(new byte[5 << 20]), UseChunkEncoding = false,
        }, ct);

        var listed = await Store.ListUnfinishedUploadsAsync(ct).ToListAsync(ct);
        var upload = Assert.Single(listed, u => u.UploadId == begun.UploadId);
        Assert.Equal(key, upload.Key);
        Assert.InRange(upload.StartedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));

        await Store.AbortUploadAsync(key, begun.UploadId, ct);
        Assert.DoesNotContain(await Store.ListUnfinishedUploadsAsync(ct).ToListAsync(ct), u => u.UploadId == begun.UploadId);
        Assert.Equal(0, _server!.UnfinishedUploads(_bucket));
        await Store.AbortUploadAsync(key, begun.UploadId, ct); // an upload gone already: success
    }

    [Fact]
    public async Task UnfinishedUploadsOfAKey_AreAborted_WithoutTheirId_AndOthersKept()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = RawClient();
        // What a process killed right after beginning a multipart upload leaves: an id nobody recorded. A longer key
        // that starts with the same text, and another key, are someone else's.
        var key = $"{StorageKeys.NewId()}/{StorageKeys.NewId()}/original";
        var begun = new List<string>();
        var keys = new List<string>();
        foreach (var k in new[] { key, key, key + "-other", $"{StorageKeys.NewId()}/{StorageKeys.NewId()}/original" })
        {
            var upload = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = k }, ct);
            await client.UploadPartAsync(new UploadPartRequest
            {
                BucketName = _bucket, Key = k, UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(new byte[16]), UseChunkEncoding = false,
            }, ct);
            begun.Add(upload.UploadId);
            keys.Add(k);
        }

        await Store.AbortUploadsOfAsync(key, ct);
        var left = await Store.ListUnfinishedUploadsAsync(ct).Select(u => u.UploadId).ToListAsync(ct);
        Assert.DoesNotContain(begun[0], left);
        Assert.DoesNotContain(begun[1], left);
        Assert.Contains(begun[2], left);
        Assert.Contains(begun[3], left);
        for (var i = 2; i < begun.Count; i++) await client.AbortMultipartUploadAsync(_bucket, keys[i], begun[i], ct);
    }

    [Fact]
    public async Task WrongCredentials_AreAnErrorToRetry_NeverNotFound()
    {
        // The test server checks access keys (not SigV4 signatures): an unknown key is refused as AWS refuses it.
        var wrong = new S3BlobStore(Options.Create(_server!.Options(_bucket, accessKey: "NOT-A-KEY")));
        var key = $"{StorageKeys.NewId()}/{StorageKeys.NewId()}/original";
        await Store.UploadAsync(key, new MemoryStream([1, 2, 3]), "application/octet-stream", TestContext.Current.CancellationToken);
        var delete = await Assert.ThrowsAsync<StorageException>(() => wrong.DeleteAsync(key, TestContext.Current.CancellationToken));
        Assert.False(delete.Permanent, "an operator can fix credentials: " + delete.Message);
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
}

public sealed class CloudinaryBlobStoreTests : BlobStoreContract, IAsyncLifetime
{
    private CloudinaryStub? _stub;
    private CloudinaryBlobStore? _store;

    protected override IBlobStore Store => _store!;

    public async ValueTask InitializeAsync()
    {
        _stub = await CloudinaryStub.StartAsync();
        _store = Create(_stub.Options());
    }

    private static readonly IHttpClientFactory Clients =
        new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>();

    private static CloudinaryBlobStore Create(CloudinaryOptions options) => new(Clients, Options.Create(options), TimeProvider.System);

    [Fact]
    public async Task LargeFile_GoesUpInChunks_WithOneUploadId()
    {
        var bytes = TestFiles.Random(12 * 1024 * 1024 + 7, seed: 5);
        var key = $"{StorageKeys.NewId()}/{StorageKeys.NewId()}/original";
        var reported = new List<string>();
        var stored = await Store.UploadAsync(key, new MemoryStream(bytes), "video/mp4",
            (id, _) => { reported.Add(id); return Task.CompletedTask; }, TestContext.Current.CancellationToken);
        Assert.Equal(1, _stub!.ChunkedUploads);
        // Its id reported once, before the first chunk: an upload's entry records it.
        Assert.Equal(_stub.UploadIds.Distinct(), reported);
        Assert.StartsWith("video/upload/v", stored.Key);
        Assert.Equal(bytes, _stub.Resources.Single(r => r.PublicId == key).Bytes);
        Assert.Equal(0, _stub.RejectedSignatures);
    }

    [Theory]
    [InlineData("image/png", "image")]
    [InlineData("image/svg+xml", "image")]
    [InlineData("video/mp4", "video")]
    [InlineData("audio/mpeg", "video")]
    [InlineData("application/pdf", "raw")]
    public async Task ResourceType_FollowsTheContentType_AndIsStoredAsReturned(string contentType, string resourceType)
    {
        var stored = await Store.UploadAsync($"{StorageKeys.NewId()}/{StorageKeys.NewId()}/original", new MemoryStream([1, 2]), contentType, TestContext.Current.CancellationToken);
        var resource = _stub!.Resources.Single(r => stored.Key.EndsWith(r.PublicId, StringComparison.Ordinal));
        Assert.Equal($"{resourceType}/upload/v{resource.Version}/{resource.PublicId}", stored.Key);
    }

    [Fact]
    public async Task WrongSecret_IsAnErrorToRetry_NeverNotFound()
    {
        var stored = await Store.UploadAsync($"{StorageKeys.NewId()}/{StorageKeys.NewId()}/original", new MemoryStream([1]), "image/png", TestContext.Current.CancellationToken);
        var wrong = Create(_stub!.Options(secret: "not-the-secret"));
        var delete = await Assert.ThrowsAsync<StorageException>(() => wrong.DeleteAsync(stored.Key, TestContext.Current.CancellationToken));
        Assert.False(delete.Permanent, "an operator can fix the secret: " + delete.Message);
        Assert.Contains("Invalid Signature", delete.Message);
        await Assert.ThrowsAsync<StorageException>(() => wrong.ExistsAsync(stored.Key, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<StorageException>(() => wrong.CheckAsync(TestContext.Current.CancellationToken));
        Assert.True(await Store.ExistsAsync(stored.Key, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Sha256Signatures_WorkWhenTheEnvironmentUsesThem()
    {
        await using var sha256Stub = await CloudinaryStub.StartAsync("sha256");
        var store = Create(sha256Stub.Options());
        var stored = await store.UploadAsync($"{StorageKeys.NewId()}/{StorageKeys.NewId()}/original", new MemoryStream([4, 2]), "image/png", TestContext.Current.CancellationToken);
        await store.DeleteAsync(stored.Key, TestContext.Current.CancellationToken);
        Assert.Equal(0, sha256Stub.RejectedSignatures);

        var sha1Options = sha256Stub.Options();
        sha1Options.SignatureAlgorithm = "sha1"; // a node configured for the wrong algorithm is refused
        var sha1Store = Create(sha1Options);
        await Assert.ThrowsAsync<StorageException>(() => sha1Store.UploadAsync($"{StorageKeys.NewId()}/{StorageKeys.NewId()}/original", new MemoryStream([1]), "image/png", TestContext.Current.CancellationToken));
        Assert.Equal(1, sha256Stub.RejectedSignatures);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stub is not null) await _stub.DisposeAsync();
    }
}
