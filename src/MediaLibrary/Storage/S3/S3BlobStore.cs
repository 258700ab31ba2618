using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Storage.S3;

/// <summary>
/// Objects in one S3 bucket under their keys. Uploads stream in parts of a fixed size (small files in one PUT);
/// a failed multipart upload is aborted. Reads are range-capable. Authorisation errors are errors, never "missing".
/// </summary>
public sealed class S3BlobStore : IBlobStore, IDisposable
{
    public const string ProviderName = "s3";
    private readonly AmazonS3Client _client;
    private readonly S3Options _options;

    public S3BlobStore(IOptions<S3Options> options)
    {
        _options = options.Value;
        var config = new AmazonS3Config
        {
            ForcePathStyle = _options.ForcePathStyle,
            // Checksums only where S3 demands them: many S3-compatible servers reject the trailing kind.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (!string.IsNullOrWhiteSpace(_options.Endpoint))
        {
            config.ServiceURL = _options.Endpoint;
            config.AuthenticationRegion = _options.Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(_options.Region);
        }
        _client = string.IsNullOrEmpty(_options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(_options.AccessKey, _options.SecretKey), config);
    }

    public string Provider => ProviderName;

    public string Describe() =>
        $"s3 (bucket {_options.Bucket} at {(string.IsNullOrWhiteSpace(_options.Endpoint) ? "AWS " + _options.Region : _options.Endpoint)}, " +
        $"access key {(string.IsNullOrEmpty(_options.AccessKey) ? "from the environment" : Redact(_options.AccessKey))})";

    public Task<StoredBlob> UploadAsync(string key, Stream content, string contentType, CancellationToken ct) =>
        UploadAsync(key, content, contentType, null, ct);

    /// <summary>A file of one part is one PUT (nothing to leave behind); a longer one reports its multipart upload's id.</summary>
    public async Task<StoredBlob> UploadAsync(string key, Stream content, string contentType, Func<string, CancellationToken, Task>? started, CancellationToken ct)
    {
        StorageKeys.EnsureValid(key);
        if (await ExistsAsync(key, ct)) throw new BlobAlreadyExistsException(Provider, key);
        var partSize = _options.PartSizeMb * 1024 * 1024;
        var buffer = ArrayPool<byte>.Shared.Rent(partSize);
        try
        {
            var filled = await content.FillAsync( buffer, partSize, ct);
            if (filled < partSize)
            {
                var put = new PutObjectRequest
                {
                    BucketName = _options.Bucket, Key = key, ContentType = contentType,
                    InputStream = new MemoryStream(buffer, 0, filled, writable: false), AutoCloseStream = false,
                    UseChunkEncoding = false, // the part is in memory already; plain signed bodies work on every S3-compatible server
                };
                SetDeliveryHeaders(put.Headers, contentType);
                await Call(key, () => _client.PutObjectAsync(put, ct));
                return new StoredBlob(key, filled);
            }
            return await MultipartAsync(key, content, contentType, buffer, filled, partSize, started, ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// What the bucket answers with when a client fetches the object directly (MEDIALIB_DELIVERY=direct, presigned URLs):
    /// keys are never reused, so the object may be cached forever; inline, except active content (SVG), which the
    /// service never hands out from the bucket and which, should anyone find its URL, downloads instead of running.
    /// </summary>
    private static void SetDeliveryHeaders(Amazon.S3.Model.HeadersCollection headers, string contentType)
    {
        headers.CacheControl = "public, max-age=31536000, immutable";
        headers.ContentDisposition = ActiveContent.Is(contentType) ? "attachment" : "inline";
    }

    private async Task<StoredBlob> MultipartAsync(string key, Stream content, string contentType, byte[] buffer, int filled, int partSize,
        Func<string, CancellationToken, Task>? started, CancellationToken ct)
    {
        var uploadId = await InitiateAsync(key, contentType, ct);
        var etags = new List<string>();
        long total = 0;
        try
        {
            if (started is not null) await started(uploadId, ct);
            while (filled > 0)
            {
                etags.Add(await UploadPartAsync(key, uploadId, etags.Count + 1, buffer, filled, ct));
                total += filled;
                filled = await content.FillAsync( buffer, partSize, ct);
            }
            await CompletePartsAsync(key, uploadId, etags, ct);
            return new StoredBlob(key, total);
        }
        catch
        {
            // Otherwise the parts stay in the bucket, invisible and billed.
            try
            {
                await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _options.Bucket, Key = key, UploadId = uploadId }, CancellationToken.None);
            }
            catch (Exception abortError) when (abortError is AmazonServiceException or HttpRequestException)
            {
                // The original failure is the one to report. The upload's pending entry holds this upload's id and
                // aborts it when it falls due (a bucket lifecycle rule is the backstop beyond that).
            }
            throw;
        }
    }

    public bool Resumable => true;

    private int PartSize => _options.PartSizeMb * 1024 * 1024;

    /// <summary>
    /// A resumable upload is a multipart upload of parts of MEDIALIB_S3_PART_SIZE_MB each (S3's parts are at least
    /// 5 MiB, but pieces may be any size): the bytes past the last whole part wait in a tail object beside the key, named
    /// by where it starts, until a part fills; the parts' ETags are the state the caller keeps.
    /// </summary>
    public Task<string> BeginResumableAsync(string key, string contentType, CancellationToken ct)
    {
        StorageKeys.EnsureValid(key);
        return InitiateAsync(key, contentType, ct);
    }

    /// <summary>A multipart upload to <paramref name="key"/>, its object to answer as <paramref name="contentType"/>; its id.</summary>
    private async Task<string> InitiateAsync(string key, string contentType, CancellationToken ct)
    {
        var initiate = new InitiateMultipartUploadRequest { BucketName = _options.Bucket, Key = key, ContentType = contentType };
        SetDeliveryHeaders(initiate.Headers, contentType);
        return (await Call(key, () => _client.InitiateMultipartUploadAsync(initiate, ct))).UploadId;
    }

    /// <summary>The parts, numbered from 1 in the order of their ETags, become the object.</summary>
    private Task<CompleteMultipartUploadResponse> CompletePartsAsync(string key, string uploadId, IReadOnlyList<string> etags, CancellationToken ct) =>
        Call(key, () => _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = _options.Bucket, Key = key, UploadId = uploadId, PartETags = [.. etags.Select((etag, i) => new PartETag(i + 1, etag))],
        }, ct));

    /// <summary>
    /// The confirmed tail (bytes from the last whole part to <paramref name="offset"/>) is read back and the piece goes
    /// after it; each part that fills is uploaded (over any part an unconfirmed append left under its number), and what
    /// is left is the new tail. Tails of appends that were never confirmed are removed first; the confirmed one stays
    /// until a later append starts past it, so an append that dies half way loses nothing.
    /// </summary>
    public async Task<ResumableProgress> AppendResumableAsync(string key, string uploadId, long offset, string? state, Stream content, CancellationToken ct)
    {
        StorageKeys.EnsureValid(key);
        var partSize = PartSize;
        var etags = ReadETags(key, state, (int)(offset / partSize));
        var start = (long)etags.Count * partSize;
        await DeleteTailsAsync(key, start, ct);
        var buffer = ArrayPool<byte>.Shared.Rent(partSize);
        try
        {
            var filled = (int)(offset - start);
            if (filled > 0) await ReadTailAsync(key, start, buffer, filled, ct);
            var unchanged = filled;
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(filled, partSize - filled), ct)) > 0)
            {
                filled += read;
                if (filled < partSize) continue;
                etags.Add(await UploadPartAsync(key, uploadId, etags.Count + 1, buffer, filled, ct));
                start += partSize;
                (filled, unchanged) = (0, 0);
            }
            if (filled > unchanged)
            {
                var put = new PutObjectRequest
                {
                    BucketName = _options.Bucket, Key = StorageKeys.ResumableTail(key, start), ContentType = "application/octet-stream",
                    InputStream = new MemoryStream(buffer, 0, filled, writable: false), AutoCloseStream = false, UseChunkEncoding = false,
                };
                await Call(key, () => _client.PutObjectAsync(put, ct));
            }
            return new ResumableProgress(start + filled, System.Text.Json.JsonSerializer.Serialize(etags));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The tail (if any) becomes the last part, the parts become the object, and the tails leave the bucket.</summary>
    public async Task<StoredBlob> CompleteResumableAsync(string key, string uploadId, long length, string? state, CancellationToken ct)
    {
        StorageKeys.EnsureValid(key);
        if (await StoredAsync(key, ct) is { } done)
        {
            await DeleteTailsAsync(key, -1, ct);
            return done;
        }
        var partSize = PartSize;
        var etags = ReadETags(key, state, (int)(length / partSize));
        var rest = (int)(length - (long)etags.Count * partSize);
        if (rest > 0)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(rest);
            try
            {
                await ReadTailAsync(key, (long)etags.Count * partSize, buffer, rest, ct);
                etags.Add(await UploadPartAsync(key, uploadId, etags.Count + 1, buffer, rest, ct));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        if (etags.Count == 0)
        {
            // S3 completes no upload of no parts: an empty object instead (the lifecycle refuses it, through the queue).
            await AbortUploadAsync(key, uploadId, ct);
            await Call(key, () => _client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = _options.Bucket, Key = key, InputStream = new MemoryStream([]), UseChunkEncoding = false,
            }, ct));
            return new StoredBlob(key, 0);
        }
        await CompletePartsAsync(key, uploadId, etags, ct);
        await DeleteTailsAsync(key, -1, ct);
        return new StoredBlob(key, length);
    }

    /// <summary>A server-side copy onto itself with the type found from the bytes, where the one declared at the start differs.</summary>
    public async Task EnsureContentTypeAsync(string key, string contentType, CancellationToken ct)
    {
        StorageKeys.EnsureValid(key);
        var head = await Call(key, () => _client.GetObjectMetadataAsync(_options.Bucket, key, ct));
        var disposition = ActiveContent.Is(contentType) ? "attachment" : "inline";
        if (head.Headers.ContentType == contentType && head.Headers.ContentDisposition == disposition) return;
        // One CopyObject takes at most 5 GiB. A larger object keeps the declared type: the service answers with the type
        // from its row, and only the bucket's own URLs (MEDIALIB_DELIVERY=direct) show the declared one; active content
        // (SVG) is never handed out from the bucket whatever its type says.
        if (head.ContentLength > 5L * 1024 * 1024 * 1024) return;
        var copy = new CopyObjectRequest
        {
            SourceBucket = _options.Bucket, SourceKey = key, DestinationBucket = _options.Bucket, DestinationKey = key,
            MetadataDirective = S3MetadataDirective.REPLACE, ContentType = contentType,
        };
        SetDeliveryHeaders(copy.Headers, contentType);
        await Call(key, () => _client.CopyObjectAsync(copy, ct));
    }

    public bool DirectUploads => true;

    /// <summary>S3's own limit on the parts of one upload.</summary>
    public const int MaxParts = 10_000;

    /// <summary>A multipart upload begun with the declared type, and a presigned UploadPart URL for each part.</summary>
    public async Task<DirectUpload> BeginDirectAsync(string key, string contentType, long length, TimeSpan lifetime, CancellationToken ct)
    {
        StorageKeys.EnsureValid(key);
        var parts = (int)Math.Max(1, (length + PartSize - 1) / PartSize);
        if (parts > MaxParts)
            throw new StorageException(Provider, key, $"{length} bytes are more than {MaxParts} parts of {_options.PartSizeMb} MiB (MEDIALIB_S3_PART_SIZE_MB).", permanent: true);
        var uploadId = await InitiateAsync(key, contentType, ct);
        var expires = DateTime.UtcNow + lifetime;
        var urls = new List<string>(parts);
        for (var number = 1; number <= parts; number++)
            urls.Add(await _client.GetPreSignedURLAsync(new GetPreSignedUrlRequest
            {
                BucketName = _options.Bucket, Key = key, Verb = HttpVerb.PUT, UploadId = uploadId, PartNumber = number, Expires = expires,
                Protocol = UrlProtocol,
            }));
        return new DirectUpload(uploadId, PartSize, urls);
    }

    public async Task<StoredBlob> CompleteDirectAsync(string key, string uploadId, IReadOnlyList<string> etags, CancellationToken ct)
    {
        StorageKeys.EnsureValid(key);
        if (await StoredAsync(key, ct) is { } done) return done;
        try
        {
            await CompletePartsAsync(key, uploadId, etags, ct);
        }
        catch (StorageException ex) when (ex.InnerException is AmazonS3Exception { ErrorCode: "InvalidPart" or "InvalidPartOrder" or "EntityTooSmall" or "NoSuchUpload" })
        {
            throw new StorageException(Provider, key, $"The parts named are not the upload's: {ex.InnerException.Message}", ex.InnerException, permanent: true);
        }
        return await StoredAsync(key, ct) ?? throw new BlobNotFoundException(Provider, key);
    }

    /// <summary>The object at the key (an upload completed before), or null.</summary>
    private async Task<StoredBlob?> StoredAsync(string key, CancellationToken ct)
    {
        try
        {
            var head = await Call(key, () => _client.GetObjectMetadataAsync(_options.Bucket, key, ct));
            return new StoredBlob(key, head.ContentLength);
        }
        catch (StorageException ex) when (IsNotFound(ex))
        {
            return null;
        }
    }

    private List<string> ReadETags(string key, string? state, int parts)
    {
        List<string>? etags = null;
        try
        {
            etags = state is null ? [] : System.Text.Json.JsonSerializer.Deserialize<List<string>>(state);
        }
        catch (System.Text.Json.JsonException)
        {
        }
        if (etags is null || etags.Count != parts)
            throw new StorageException(Provider, key, $"The upload's state does not name the {parts} parts its length implies; the part size (MEDIALIB_S3_PART_SIZE_MB) may have changed since it began.", permanent: true);
        return etags;
    }

    private async Task<string> UploadPartAsync(string key, string uploadId, int number, byte[] buffer, int length, CancellationToken ct)
    {
        var part = await Call(key, () => _client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = _options.Bucket, Key = key, UploadId = uploadId, PartNumber = number,
            InputStream = new MemoryStream(buffer, 0, length, writable: false), PartSize = length, UseChunkEncoding = false,
        }, ct));
        return part.ETag;
    }

    /// <summary>The first <paramref name="length"/> bytes of the tail that starts at <paramref name="start"/>.</summary>
    private async Task ReadTailAsync(string key, long start, byte[] buffer, int length, CancellationToken ct)
    {
        var tail = StorageKeys.ResumableTail(key, start);
        var read = 0;
        try
        {
            using var response = await Call(key, () => _client.GetObjectAsync(new GetObjectRequest
            {
                BucketName = _options.Bucket, Key = tail, ByteRange = new ByteRange(0, length - 1),
            }, ct));
            read = await response.ResponseStream.ReadAtLeastAsync(buffer.AsMemory(0, length), length, throwOnEndOfStream: false, ct);
        }
        catch (StorageException ex) when (IsNotFound(ex) || ex.InnerException is AmazonS3Exception { ErrorCode: "InvalidRange" })
        {
        }
        if (read < length)
            throw new StorageException(Provider, key, $"The upload's bytes from {start} ({tail}) are missing from the bucket; it cannot go on.", permanent: true);
    }

    /// <summary>Removes the upload's tail objects, all but the one that starts at <paramref name="keep"/>.</summary>
    private async Task DeleteTailsAsync(string key, long keep, CancellationToken ct)
    {
        var kept = keep < 0 ? null : StorageKeys.ResumableTail(key, keep);
        var tails = new List<string>();
        await foreach (var item in ListAsync(StorageKeys.ResumableTailPrefix(key), null, ct))
            if (item.Key != kept) tails.Add(item.Key);
        foreach (var tail in tails) await Call(key, () => _client.DeleteObjectAsync(_options.Bucket, tail, ct));
    }

    /// <summary>The bucket's multipart uploads neither completed nor aborted (ListMultipartUploads, page by page).</summary>
    public IAsyncEnumerable<UnfinishedUpload> ListUnfinishedUploadsAsync(CancellationToken ct) => ListUnfinishedUploadsAsync(null, ct);

    /// <summary>ListMultipartUploads with the key as prefix; each one of exactly that key is aborted.</summary>
    public async Task AbortUploadsOfAsync(string key, CancellationToken ct)
    {
        StorageKeys.EnsureValid(key);
        await foreach (var upload in ListUnfinishedUploadsAsync(key, ct))
            if (upload.Key == key) await AbortUploadAsync(key, upload.UploadId, ct);
    }

    private async IAsyncEnumerable<UnfinishedUpload> ListUnfinishedUploadsAsync(string? prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? keyMarker = null, idMarker = null;
        while (true)
        {
            var page = await Call(prefix ?? "", () => _client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest
            {
                BucketName = _options.Bucket, Prefix = prefix, KeyMarker = keyMarker, UploadIdMarker = idMarker,
            }, ct));
            foreach (var upload in page.MultipartUploads ?? [])
                yield return new UnfinishedUpload(upload.Key, upload.UploadId, new DateTimeOffset((upload.Initiated ?? DateTime.UtcNow).ToUniversalTime()));
            if (page.IsTruncated != true) yield break;
            (keyMarker, idMarker) = (page.NextKeyMarker, page.NextUploadIdMarker);
        }
    }

    public async Task AbortUploadAsync(string key, string uploadId, CancellationToken ct)
    {
        StorageKeys.EnsureValid(key);
        try
        {
            await Call(key, () => _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _options.Bucket, Key = key, UploadId = uploadId }, ct));
        }
        catch (StorageException ex) when (ex.InnerException is AmazonS3Exception { ErrorCode: "NoSuchUpload" } or AmazonS3Exception { StatusCode: HttpStatusCode.NotFound })
        {
            // Completed, aborted already, or expired by a lifecycle rule: nothing left.
        }
        // A resumable upload's bytes past its last whole part wait beside the key.
        if (StorageKeys.IsOurs(key)) await DeleteTailsAsync(key, -1, ct);
    }

    public async Task<Stream> OpenReadAsync(string key, CancellationToken ct)
    {
        StorageKeys.EnsureValid(key);
        GetObjectMetadataResponse head;
        try
        {
            head = await Call(key, () => _client.GetObjectMetadataAsync(_options.Bucket, key, ct));
        }
        catch (StorageException ex) when (IsNotFound(ex))
        {
            throw new BlobNotFoundException(Provider, key);
        }
        return new RangeReadStream((from, to, ct2) => GetRangeAsync(key, from, to, ct2), head.ContentLength);
    }

    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        StorageKeys.EnsureValid(key);
        // S3 answers 204 for a key that is not there: "already gone" is success by the protocol itself.
        await Call(key, () => _client.DeleteObjectAsync(_options.Bucket, key, ct));
    }

    public async IAsyncEnumerable<BlobItem> ListAsync(string prefix, string? startAfter, [EnumeratorCancellation] CancellationToken ct)
    {
        string? continuation = null;
        do
        {
            var page = await Call(prefix, () => _client.ListObjectsV2Async(new ListObjectsV2Request
            {
                BucketName = _options.Bucket, Prefix = prefix, StartAfter = startAfter, ContinuationToken = continuation,
            }, ct));
            // S3 returns keys in binary order; sorting the page keeps that promise on compatible servers that do not.
            foreach (var o in (page.S3Objects ?? []).OrderBy(o => o.Key, StringComparer.Ordinal))
                if (StorageKeys.IsValid(o.Key))
                    yield return new BlobItem(o.Key, o.Size ?? 0, o.LastModified ?? DateTime.UtcNow);
            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        } while (continuation is not null);
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken ct) => await StoredAsync(key, ct) is not null;

    public string? DirectUrl(string key) =>
        string.IsNullOrWhiteSpace(_options.PublicBaseUrl) ? null : $"{_options.PublicBaseUrl.TrimEnd('/')}/{key}";

    public async Task<string?> PresignedUrlAsync(string key, TimeSpan lifetime, CancellationToken ct)
    {
        StorageKeys.EnsureValid(key);
        return await _client.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = _options.Bucket, Key = key, Verb = HttpVerb.GET, Expires = DateTime.UtcNow + lifetime, Protocol = UrlProtocol,
        });
    }

    /// <summary>A presigned URL's protocol defaults to https; an S3-compatible server on a private network may speak http.</summary>
    private Protocol UrlProtocol => _options.Endpoint?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS;

    public async Task CheckAsync(CancellationToken ct)
    {
        // Listing proves the bucket and the right to list (the reconciler's); under the probes' own prefix, so that a check
        // made while the service works (/health) walks nothing of the media's.
        const string probes = "_check/";
        await Call("", () => _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = probes, MaxKeys = 1 }, ct));
        var probe = probes + StorageKeys.NewId();
        await UploadAsync(probe, new MemoryStream("probe"u8.ToArray()), "text/plain", ct);
        await using (var read = await OpenReadAsync(probe, ct))
        {
            if (read.Length != 5) throw new StorageException(Provider, probe, "The probe object read back with the wrong size.");
        }
        await DeleteAsync(probe, ct);
    }

    private async Task<Stream> GetRangeAsync(string key, long from, long to, CancellationToken ct)
    {
        try
        {
            var response = await Call(key, () => _client.GetObjectAsync(new GetObjectRequest
            {
                BucketName = _options.Bucket, Key = key, ByteRange = new ByteRange(from, to),
            }, ct));
            return response.ResponseStream;
        }
        catch (StorageException ex) when (IsNotFound(ex))
        {
            throw new BlobNotFoundException(Provider, key); // deleted while it was being read
        }
    }

    /// <summary>S3 answered 404 (a HEAD carries no body, so the error code cannot tell a key from a bucket).</summary>
    private static bool IsNotFound(StorageException ex) => ex.InnerException is AmazonS3Exception { StatusCode: HttpStatusCode.NotFound };

    /// <summary>Runs one S3 call and turns its failures into the port's exceptions.</summary>
    private async Task<T> Call<T>(string key, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (AmazonS3Exception ex)
        {
            // Only a request no change on the server's side can make valid is permanent; denied access, unknown keys, a
            // missing bucket can all be fixed by an operator, and are retried like an outage.
            var permanent = ex.ErrorCode is "InvalidArgument" or "KeyTooLongError" or "InvalidBucketName";
            throw new StorageException(Provider, key, $"S3 {ex.ErrorCode ?? ((int)ex.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)} on '{key}' in bucket {_options.Bucket}: {ex.Message}", ex, permanent);
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException or IOException
                                       or TaskCanceledException { InnerException: TimeoutException })
        {
            throw new StorageException(Provider, key, $"S3 call for '{key}' in bucket {_options.Bucket} failed: {ex.Message}", ex);
        }
    }

    private static string Redact(string value) => value.Length <= 4 ? "***" : value[..4] + "***";

    public void Dispose() => _client.Dispose();
}
