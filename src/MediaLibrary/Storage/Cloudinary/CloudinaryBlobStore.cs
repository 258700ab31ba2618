using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Storage.Cloudinary;

/// <summary>
/// Cloudinary over its REST API. The key this adapter returns is Cloudinary's own locator as the upload response
/// gave it: <c>{resource_type}/{type}/v{version}/{public_id}</c>, where public_id is the server-generated storage key.
/// Deletions destroy with invalidate=true, so CDN copies go too; "not found" is success.
/// </summary>
public sealed partial class CloudinaryBlobStore(IHttpClientFactory clients, IOptions<CloudinaryOptions> options, TimeProvider time) : IBlobStore
{
    /// <summary>The factory's client for Cloudinary's API (a five-minute timeout: a chunk of a large upload takes a while).</summary>
    public const string HttpClientName = "cloudinary";

    public const string ProviderName = "cloudinary";
    private readonly CloudinaryOptions _options = options.Value;

    public string Provider => ProviderName;

    public string Describe() => $"cloudinary (cloud {_options.Cloud} via {_options.UploadPrefix}, api key {_options.Key}, secret ***)";

    public static string ResourceTypeFor(string contentType) =>
        contentType.StartsWith("image/", StringComparison.Ordinal) ? "image"
        : contentType.StartsWith("video/", StringComparison.Ordinal) || contentType.StartsWith("audio/", StringComparison.Ordinal) ? "video"
        : "raw";

    public Task<StoredBlob> UploadAsync(string key, Stream content, string contentType, CancellationToken ct) =>
        UploadAsync(key, content, contentType, null, ct);

    /// <summary>
    /// Reports a chunked upload's X-Unique-Upload-Id before its first chunk, for the record: Cloudinary has no call to
    /// abort one, so <see cref="IBlobStore.AbortUploadAsync"/> does nothing here, and the object's deletion is what counts.
    /// </summary>
    public async Task<StoredBlob> UploadAsync(string key, Stream content, string contentType, Func<string, CancellationToken, Task>? started, CancellationToken ct)
    {
        StorageKeys.EnsureValid(key);
        var resourceType = ResourceTypeFor(contentType);

        var chunkSize = _options.ChunkSizeMb * 1024 * 1024;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(chunkSize);
        var uploadId = Guid.NewGuid().ToString("n");
        try
        {
            long offset = 0;
            var filled = await content.FillAsync( buffer, chunkSize, ct);
            while (true)
            {
                // Read one chunk ahead: only then is it known whether this chunk is the last.
                var nextBuffer = filled == chunkSize ? System.Buffers.ArrayPool<byte>.Shared.Rent(chunkSize) : null;
                var nextFilled = nextBuffer is null ? 0 : await content.FillAsync( nextBuffer, chunkSize, ct);
                var last = nextFilled == 0;
                try
                {
                    var chunked = offset > 0 || !last;
                    if (chunked && offset == 0 && started is not null) await started(uploadId, ct);
                    var range = chunked ? $"bytes {offset}-{offset + filled - 1}/{(last ? (offset + filled).ToString(CultureInfo.InvariantCulture) : "-1")}" : null;
                    using var response = await SendUploadAsync(resourceType, key, buffer, filled, range, chunked ? uploadId : null, ct);
                    if (last)
                    {
                        var (blob, existing) = Uploaded(await ReadJsonAsync(response, key, ct), offset + filled);
                        // overwrite=false: Cloudinary keeps what is there and says so; keys are never reused, so refuse.
                        return existing ? throw new BlobAlreadyExistsException(Provider, key) : blob;
                    }
                    await EnsureSuccessAsync(response, key, ct);
                }
                finally
                {
                    if (last && nextBuffer is not null) System.Buffers.ArrayPool<byte>.Shared.Return(nextBuffer);
                }
                offset += filled;
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                buffer = nextBuffer!;
                filled = nextFilled;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private Task<HttpResponseMessage> SendUploadAsync(string resourceType, string publicId, byte[] buffer, int length, string? range, string? uploadId, CancellationToken ct) =>
        SendUploadAsync(resourceType, publicId, buffer.AsMemory(0, length), range, uploadId, ct);

    private async Task<HttpResponseMessage> SendUploadAsync(string resourceType, string publicId, ReadOnlyMemory<byte> bytes, string? range, string? uploadId, CancellationToken ct)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in UploadParameters(publicId)) form.Add(new StringContent(value), name);
        form.Add(new ReadOnlyMemoryContent(bytes), "file", "file");
        using var request = new HttpRequestMessage(HttpMethod.Post, ApiUrl($"{resourceType}/upload")) { Content = form };
        if (range is not null)
        {
            form.Headers.TryAddWithoutValidation("Content-Range", range); // a content header, on the body
            request.Headers.Add("X-Unique-Upload-Id", uploadId);
        }
        return await SendAsync(request, publicId, ct);
    }

    /// <summary>The upload parameters this adapter signs: the public_id it chose, and never over what is there.</summary>
    private Dictionary<string, string> UploadParameters(string publicId) =>
        Signed(new Dictionary<string, string> { ["public_id"] = publicId, ["overwrite"] = "false" });

    /// <summary>The stored object an upload's answer describes, and whether it was there already (overwrite=false).</summary>
    private static (StoredBlob Blob, bool Existing) Uploaded(JsonElement body, long length)
    {
        var locator = Locator(body.GetProperty("resource_type").GetString()!, body.GetProperty("type").GetString()!,
            body.GetProperty("version").GetRawText(), body.GetProperty("public_id").GetString()!);
        return (new StoredBlob(locator, body.TryGetProperty("bytes", out var bytes) ? bytes.GetInt64() : length),
            body.TryGetProperty("existing", out var existing) && existing.ValueKind == JsonValueKind.True);
    }

    public bool Resumable => true;

    /// <summary>
    /// A resumable upload's chunks: Cloudinary takes no chunk under 5 MB but the last, and the chunks of one upload must not
    /// overlap, so they lie on a fixed grid of this size and a chunk sent again is the same chunk.
    /// </summary>
    public const int ResumableChunk = 5 * 1024 * 1024;

    /// <summary>
    /// A resumable upload is one of Cloudinary's chunked uploads, its X-Unique-Upload-Id the id returned; it is sent to
    /// <c>auto/upload</c>, as Cloudinary decides an object's resource type from its bytes. Nothing is sent yet.
    /// </summary>
    public Task<string> BeginResumableAsync(string key, string contentType, CancellationToken ct)
    {
        StorageKeys.EnsureValid(key);
        return Task.FromResult(Guid.NewGuid().ToString("n"));
    }

    /// <summary>
    /// Sends each whole chunk of the grid (<see cref="ResumableChunk"/>) once a byte past it has arrived: the last chunk
    /// goes only with the completion, which Cloudinary takes as the end. The bytes of the chunk not yet whole are the
    /// state the caller keeps with the confirmed length (at most 5 MiB in the upload's row), so nothing waits in a place
    /// of its own and a node that dies mid-way leaves nothing but chunks that the same append sends again.
    /// </summary>
    public async Task<ResumableProgress> AppendResumableAsync(string key, string uploadId, long offset, string? state, Stream content, CancellationToken ct)
    {
        StorageKeys.EnsureValid(key);
        var (sent, held) = ReadChunkState(key, offset, state);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(ResumableChunk + 1);
        try
        {
            held.CopyTo(buffer, 0);
            var filled = held.Length;
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(filled, ResumableChunk + 1 - filled), ct)) > 0)
            {
                filled += read;
                if (filled <= ResumableChunk) continue;
                // A byte past the chunk: it is not the last, and goes now.
                using (var response = await SendUploadAsync("auto", key, buffer.AsMemory(0, ResumableChunk), ChunkRange(sent, ResumableChunk, null), uploadId, ct))
                    await EnsureSuccessAsync(response, key, ct);
                sent += ResumableChunk;
                buffer[0] = buffer[ResumableChunk];
                filled = 1;
            }
            return new ResumableProgress(sent + filled, JsonSerializer.Serialize(new ChunkState(sent, buffer[..filled])));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The bytes kept since the last chunk go as the last one (or, when no chunk went, as one plain upload), and
    /// Cloudinary's answer is the object. Asked again after an answer that never came, it answers with the object made then.
    /// </summary>
    public async Task<StoredBlob> CompleteResumableAsync(string key, string uploadId, long length, string? state, CancellationToken ct)
    {
        StorageKeys.EnsureValid(key);
        var (sent, held) = ReadChunkState(key, length, state);
        try
        {
            using var response = await SendUploadAsync("auto", key, held, sent == 0 ? null : ChunkRange(sent, held.Length, length), sent == 0 ? null : uploadId, ct);
            return Uploaded(await ReadJsonAsync(response, key, ct), length).Blob;
        }
        catch (StorageException ex) when (ex.Permanent)
        {
            // Refused: a last chunk sent again after its upload was made starts nothing. The object made then is the answer.
            if (await FindAsync(key, ct) is { } made) return made;
            throw;
        }
    }

    public bool DirectUploads => true;

    public bool DirectUploadsNameParts => false;

    /// <summary>How long Cloudinary accepts a signed request after its timestamp.</summary>
    public static readonly TimeSpan SignatureLifetime = TimeSpan.FromHours(1);

    /// <summary>
    /// A signed direct upload: the client posts the file to <c>auto/upload</c> with the fields signed here, which pin the
    /// public_id to the key and keep what is there (a client cannot add or change a parameter without breaking the
    /// signature); a file larger than CLOUDINARY_CHUNK_SIZE_MB goes in chunks of that size with Content-Range and the
    /// returned id as X-Unique-Upload-Id. Cloudinary accepts the signature for an hour.
    /// </summary>
    public Task<DirectUpload> BeginDirectAsync(string key, string contentType, long length, TimeSpan lifetime, CancellationToken ct)
    {
        StorageKeys.EnsureValid(key);
        var expires = time.GetUtcNow() + (lifetime < SignatureLifetime ? lifetime : SignatureLifetime);
        return Task.FromResult(new DirectUpload(Guid.NewGuid().ToString("n"), _options.ChunkSizeMb * 1024L * 1024, [])
        {
            Form = new DirectForm(ApiUrl("auto/upload"), UploadParameters(key), expires),
        });
    }

    /// <summary>The object the client's upload made under the key, of whatever resource type Cloudinary gave it.</summary>
    public async Task<StoredBlob> CompleteDirectAsync(string key, string uploadId, IReadOnlyList<string> etags, CancellationToken ct)
    {
        StorageKeys.EnsureValid(key);
        return await FindAsync(key, ct)
            ?? throw new StorageException(Provider, key, $"Cloudinary holds no file under '{key}': it was not sent, or not whole.", permanent: true);
    }

    private static string ChunkRange(long start, int length, long? total) =>
        $"bytes {start}-{start + length - 1}/{(total is null ? "-1" : total.Value.ToString(CultureInfo.InvariantCulture))}";

    /// <summary>What a resumable upload sent in whole chunks, and the bytes after them it keeps until a chunk is whole.</summary>
    private sealed record ChunkState(long Sent, byte[] Held);

    private (long Sent, byte[] Held) ReadChunkState(string key, long length, string? state)
    {
        ChunkState? chunks = null;
        try
        {
            chunks = state is null ? new ChunkState(0, []) : JsonSerializer.Deserialize<ChunkState>(state);
        }
        catch (JsonException)
        {
        }
        if (chunks?.Held is null || chunks.Sent % ResumableChunk != 0 || chunks.Held.Length > ResumableChunk || chunks.Sent + chunks.Held.Length != length)
            throw new StorageException(Provider, key, $"The upload's state does not account for its {length} bytes; it cannot go on.", permanent: true);
        return (chunks.Sent, chunks.Held);
    }

    /// <summary>The object whose public_id is the bare key, of whichever resource type Cloudinary gave it; null when there is none.</summary>
    private async Task<StoredBlob?> FindAsync(string publicId, CancellationToken ct)
    {
        foreach (var resourceType in (string[])["image", "video", "raw"])
        {
            using var response = await SendAsync(AdminRequest(HttpMethod.Get, ApiUrl($"resources/{resourceType}/upload/{publicId}")), publicId, ct);
            if (response.StatusCode == HttpStatusCode.NotFound) continue;
            return Uploaded(await ReadJsonAsync(response, publicId, ct), 0).Blob;
        }
        return null;
    }

    /// <summary>The delivery URL, with the /v{version}/ segment from the upload response.</summary>
    public string? DirectUrl(string key)
    {
        var (resourceType, type, version, publicId) = Parse(key);
        return $"{_options.DeliveryPrefix.TrimEnd('/')}/{_options.Cloud}/{resourceType ?? "image"}/{type}/v{version}/{publicId}";
    }

    public Task<string?> PresignedUrlAsync(string key, TimeSpan lifetime, CancellationToken ct) => Task.FromResult<string?>(null);

    public async Task<Stream> OpenReadAsync(string key, CancellationToken ct)
    {
        var url = DirectUrl(key)!;
        long length;
        using (var head = await SendAsync(new HttpRequestMessage(HttpMethod.Head, url), key, ct))
        {
            if (head.StatusCode == HttpStatusCode.NotFound) throw new BlobNotFoundException(Provider, key);
            await EnsureSuccessAsync(head, key, ct);
            length = head.Content.Headers.ContentLength ?? throw new StorageException(Provider, key, "Cloudinary's delivery answered without a length.");
        }
        return new RangeReadStream(async (from, to, ct2) =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Range = new RangeHeaderValue(from, to);
            var response = await SendAsync(request, key, ct2, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                response.Dispose();
                throw new BlobNotFoundException(Provider, key); // deleted while it was being read
            }
            await EnsureSuccessAsync(response, key, ct2);
            return new ResponseStream(response, await response.Content.ReadAsStreamAsync(ct2));
        }, length);
    }

    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        var (resourceType, type, _, publicId) = Parse(key);
        // A bare key (an upload whose answer never came) does not say its resource type: each is tried.
        foreach (var candidate in resourceType is null ? ["image", "raw", "video"] : new[] { resourceType })
            if (await DestroyAsync(key, candidate, type, publicId, ct)) return;
    }

    /// <summary>True when Cloudinary destroyed it; false when it says "not found" (gone either way: a repeated or late delete).</summary>
    private async Task<bool> DestroyAsync(string key, string resourceType, string type, string publicId, CancellationToken ct)
    {
        var parameters = Signed(new Dictionary<string, string> { ["public_id"] = publicId, ["type"] = type, ["invalidate"] = "true" });
        using var request = new HttpRequestMessage(HttpMethod.Post, ApiUrl($"{resourceType}/destroy")) { Content = new FormUrlEncodedContent(parameters) };
        using var response = await SendAsync(request, key, ct);
        var result = (await ReadJsonAsync(response, key, ct)).GetProperty("result").GetString();
        if (result is not ("ok" or "not found"))
            throw new StorageException(Provider, key, $"Cloudinary destroy of '{publicId}' answered result={result}.");
        return result == "ok";
    }

    public async IAsyncEnumerable<BlobItem> ListAsync(string prefix, string? startAfter, [EnumeratorCancellation] CancellationToken ct)
    {
        // The Admin API lists by creation time, not by name: collect, then keep the port's ordinal order.
        var items = new List<BlobItem>();
        foreach (var resourceType in new[] { "image", "raw", "video" })
        {
            string? cursor = null;
            do
            {
                var url = ApiUrl($"resources/{resourceType}/upload?max_results=500" + (cursor is null ? "" : "&next_cursor=" + Uri.EscapeDataString(cursor)));
                using var response = await SendAsync(AdminRequest(HttpMethod.Get, url), prefix, ct);
                var body = await ReadJsonAsync(response, prefix, ct);
                foreach (var r in body.GetProperty("resources").EnumerateArray())
                {
                    var key = Locator(r.GetProperty("resource_type").GetString()!, r.GetProperty("type").GetString()!, r.GetProperty("version").GetRawText(), r.GetProperty("public_id").GetString()!);
                    if (!StorageKeys.IsValid(key) || !key.StartsWith(prefix, StringComparison.Ordinal)) continue;
                    if (startAfter is not null && string.CompareOrdinal(key, startAfter) <= 0) continue;
                    items.Add(new BlobItem(key, r.TryGetProperty("bytes", out var b) ? b.GetInt64() : 0,
                        r.TryGetProperty("created_at", out var c) ? c.GetDateTimeOffset() : time.GetUtcNow()));
                }
                cursor = body.TryGetProperty("next_cursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            } while (cursor is not null);
        }
        foreach (var item in items.OrderBy(i => i.Key, StringComparer.Ordinal)) yield return item;
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken ct)
    {
        var (resourceType, type, _, publicId) = Parse(key);
        if (resourceType is null) return await FindAsync(publicId, ct) is not null; // a bare key: any resource type
        using var response = await SendAsync(AdminRequest(HttpMethod.Get, ApiUrl($"resources/{resourceType}/{type}/{publicId}")), key, ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        await EnsureSuccessAsync(response, key, ct);
        return true;
    }

    public async Task CheckAsync(CancellationToken ct)
    {
        using (var ping = await SendAsync(AdminRequest(HttpMethod.Get, ApiUrl("ping")), "", ct))
        {
            var status = (await ReadJsonAsync(ping, "", ct)).GetProperty("status").GetString();
            if (status != "ok") throw new StorageException(Provider, "", $"Cloudinary ping answered status={status}.");
        }
        var stored = await UploadAsync($"_check/{StorageKeys.NewId()}", new MemoryStream("probe"u8.ToArray()), "text/plain", ct);
        await using (var read = await OpenReadAsync(stored.Key, ct))
        {
            using var copy = new MemoryStream();
            await read.CopyToAsync(copy, ct);
            if (copy.Length != 5) throw new StorageException(Provider, stored.Key, "The probe object read back with the wrong size.");
        }
        await DeleteAsync(stored.Key, ct);
    }

    private Dictionary<string, string> Signed(Dictionary<string, string> parameters)
    {
        parameters["timestamp"] = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        parameters["signature"] = CloudinarySignature.Sign(parameters, _options.Secret, _options.SignatureAlgorithm);
        parameters["api_key"] = _options.Key;
        return parameters;
    }

    private HttpRequestMessage AdminRequest(HttpMethod method, string url)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.Key}:{_options.Secret}")));
        return request;
    }

    private string ApiUrl(string path) => $"{_options.UploadPrefix.TrimEnd('/')}/v1_1/{_options.Cloud}/{path}";

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string key, CancellationToken ct, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        try
        {
            // A client from the factory for each call: the store lives as long as the process, its handlers must not.
            return await clients.CreateClient(HttpClientName).SendAsync(request, completion, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException { InnerException: TimeoutException })
        {
            throw new StorageException(Provider, key, $"Cloudinary is unreachable ({request.RequestUri?.GetLeftPart(UriPartial.Path)}): {ex.Message}", ex);
        }
    }

    private async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, string key, CancellationToken ct)
    {
        await EnsureSuccessAsync(response, key, ct);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement.Clone();
    }

    /// <summary>
    /// 400 (a request Cloudinary will never take) is permanent; 401/403 (a key, secret or permission an operator can fix),
    /// 404 of an API path, 420/429 and 5xx are not.
    /// </summary>
    private async Task EnsureSuccessAsync(HttpResponseMessage response, string key, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var text = await response.Content.ReadAsStringAsync(ct);
        string message;
        try { message = JsonDocument.Parse(text).RootElement.GetProperty("error").GetProperty("message").GetString() ?? text; }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException) { message = text.Length > 300 ? text[..300] : text; }
        var status = (int)response.StatusCode;
        throw new StorageException(Provider, key, $"Cloudinary answered {status} for '{key}': {message}", permanent: status is 400);
    }

    public static string Locator(string resourceType, string type, string? version, string publicId) =>
        version is null ? $"{resourceType}/{type}/{publicId}" : $"{resourceType}/{type}/v{version}/{publicId}";

    /// <summary>The locator's parts; a bare key, the public_id an upload asked for before Cloudinary answered, has no resource type.</summary>
    private static (string? ResourceType, string Type, string Version, string PublicId) Parse(string key)
    {
        var m = LocatorPattern().Match(key);
        if (!m.Success && StorageKeys.IsValid(key) && StorageKeys.IsOurs(key)) return (null, "upload", "", key);
        if (!m.Success) throw new ArgumentException($"'{key}' is not a Cloudinary locator (resource_type/type/v{{version}}/public_id).", nameof(key));
        return (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value);
    }

    [GeneratedRegex("^(image|video|raw)/([a-z_]+)/(?:v([0-9]+)/)?(.+)$")]
    private static partial Regex LocatorPattern();

    /// <summary>The body of a delivery response; disposing it releases the response.</summary>
    private sealed class ResponseStream(HttpResponseMessage response, Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => response.Content.Headers.ContentLength ?? throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => inner.ReadAsync(buffer, ct);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => inner.ReadAsync(buffer, offset, count, ct);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) { inner.Dispose(); response.Dispose(); }
            base.Dispose(disposing);
        }
    }
}
