using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using MediaLibrary.Storage.Cloudinary;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MediaLibrary.Tests.Infrastructure;

/// <summary>
/// A local stand-in for Cloudinary's upload, destroy, ping, Admin (resources) and delivery endpoints. It keeps
/// state and checks every signature the way Cloudinary documents it (sorted parameters, secret appended, SHA-1 or
/// SHA-256; one hour of validity), Basic auth on the Admin API, and chunked uploads by X-Unique-Upload-Id and
/// Content-Range. What it cannot be is Cloudinary's servers; everything the adapter sends is checked.
/// </summary>
public sealed class CloudinaryStub : IAsyncDisposable
{
    public const string Cloud = "demo-cloud";
    public const string ApiKey = "123456789012345";
    public const string ApiSecret = "stub-api-secret-abcdef";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Resource> _resources = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SortedDictionary<long, byte[]>> _chunks = new(StringComparer.Ordinal);
    private long _version = 1_700_000_000;

    public sealed record Resource(string ResourceType, string Type, string PublicId, long Version, byte[] Bytes, DateTimeOffset CreatedAt);

    private CloudinaryStub(WebApplication app, string algorithm)
    {
        _app = app;
        Algorithm = algorithm;
    }

    public string Algorithm { get; }
    public string BaseUrl => StubServer.BaseUrlOf(_app);
    public int RejectedSignatures;
    public int ChunkedUploads;

    /// <summary>Every X-Unique-Upload-Id a chunk came with.</summary>
    public readonly System.Collections.Concurrent.ConcurrentBag<string> UploadIds = [];
    public IReadOnlyCollection<Resource> Resources => _resources.Values.ToList();

    public static async Task<CloudinaryStub> StartAsync(string algorithm = "sha1")
    {
        CloudinaryStub stub = null!;
        await StubServer.StartAsync(a => (stub = new CloudinaryStub(a, algorithm)).Map(a));
        return stub;
    }

    public Dictionary<string, string?> Settings(string? secret = null) => new()
    {
        ["MEDIALIB_STORAGE"] = "cloudinary",
        ["CLOUDINARY_URL"] = $"cloudinary://{ApiKey}:{secret ?? ApiSecret}@{Cloud}",
        ["CLOUDINARY_UPLOAD_PREFIX"] = BaseUrl,
        ["CLOUDINARY_DELIVERY_PREFIX"] = BaseUrl,
        ["CLOUDINARY_SIGNATURE_ALGORITHM"] = Algorithm,
        ["CLOUDINARY_CHUNK_SIZE_MB"] = "5",
    };

    public CloudinaryOptions Options(string? secret = null) => new()
    {
        CloudName = Cloud, ApiKey = ApiKey, ApiSecret = secret ?? ApiSecret, UploadPrefix = BaseUrl, DeliveryPrefix = BaseUrl,
        SignatureAlgorithm = Algorithm, ChunkSizeMb = 5,
    };

    private void Map(WebApplication app)
    {
        // Cloudinary's upload API takes posts from any page (its own upload widget sends chunks from the browser).
        app.Use(async (http, next) =>
        {
            http.Response.Headers.AccessControlAllowOrigin = "*";
            if (!HttpMethods.IsOptions(http.Request.Method))
            {
                await next(http);
                return;
            }
            http.Response.Headers.AccessControlAllowMethods = "POST";
            http.Response.Headers.AccessControlAllowHeaders = "Content-Range, X-Unique-Upload-Id, X-Requested-With";
            http.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        app.MapPost("/v1_1/{cloud}/{resourceType}/upload", Upload);
        app.MapPost("/v1_1/{cloud}/{resourceType}/destroy", Destroy);
        app.MapGet("/v1_1/{cloud}/ping", (HttpContext http, string cloud) =>
            !Authorized(http, cloud) ? Error(401, "Invalid credentials") : Results.Json(new { status = "ok" }));
        app.MapGet("/v1_1/{cloud}/resources/{resourceType}/upload", List);
        app.MapGet("/v1_1/{cloud}/resources/{resourceType}/{type}/{**publicId}", (HttpContext http, string cloud, string resourceType, string type, string publicId) =>
            !Authorized(http, cloud) ? Error(401, "Invalid credentials")
            : _resources.TryGetValue(Id(resourceType, type, publicId), out var r) ? Results.Json(Describe(r))
            : Error(404, $"Resource not found - {publicId}"));
        app.MapMethods("/{cloud}/{resourceType}/{type}/v{version:long}/{**publicId}", ["GET", "HEAD"], (string cloud, string resourceType, string type, long version, string publicId) =>
            cloud == Cloud && _resources.TryGetValue(Id(resourceType, type, publicId), out var r)
                ? Results.Bytes(r.Bytes, "application/octet-stream", enableRangeProcessing: true)
                : Results.NotFound());
    }

    private async Task<IResult> Upload(HttpContext http, string cloud, string resourceType)
    {
        var form = await http.Request.ReadFormAsync();
        if (cloud != Cloud) return Error(404, "Invalid cloud_name " + cloud);
        if (SignatureProblem(form.ToDictionary(f => f.Key, f => f.Value.ToString())) is { } problem) return problem;
        var file = form.Files.GetFile("file");
        if (file is null) return Error(400, "Missing required parameter - file");
        var publicId = form["public_id"].ToString();
        var id = Id(resourceType, "upload", publicId);

        byte[] bytes;
        var range = http.Request.Headers["Content-Range"].ToString();
        if (range.Length > 0)
        {
            var uploadId = http.Request.Headers["X-Unique-Upload-Id"].ToString();
            if (uploadId.Length == 0) return Error(400, "X-Unique-Upload-Id is required with Content-Range");
            UploadIds.Add(uploadId);
            var m = System.Text.RegularExpressions.Regex.Match(range, @"^bytes (\d+)-(\d+)/(-1|\d+)$");
            if (!m.Success) return Error(400, "Bad Content-Range " + range);
            var (start, end) = (long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
            long? total = m.Groups[3].Value == "-1" ? null : long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
            using var chunk = new MemoryStream();
            await file.CopyToAsync(chunk);
            if (chunk.Length != end - start + 1) return Error(400, "Chunk length does not match Content-Range");
            var result = AddChunk(uploadId, start, chunk.ToArray(), total);
            if (result.Error is not null) return Error(400, result.Error);
            if (result.Bytes is null) return Results.Json(new { done = false, bytes = end + 1 });
            Interlocked.Increment(ref ChunkedUploads);
            bytes = result.Bytes;
        }
        else
        {
            using var ms = new MemoryStream();
            await file.CopyToAsync(ms);
            bytes = ms.ToArray();
        }
        if (resourceType == "auto") resourceType = ResourceTypeOf(bytes);
        id = Id(resourceType, "upload", publicId);

        // overwrite=false keeps an existing resource, as Cloudinary does.
        if (form["overwrite"] == "false" && _resources.TryGetValue(id, out var existing))
            return Results.Json(new Dictionary<string, object?>(Describe(existing)) { ["existing"] = true });
        var resource = _resources[id] = new Resource(resourceType, "upload", publicId, Interlocked.Increment(ref _version), bytes, DateTimeOffset.UtcNow);
        return Results.Json(Describe(resource));
    }

    /// <summary>
    /// Cloudinary's rules for the chunks of one upload: the first chunk first, the last one last (once every other has
    /// arrived), every chunk but the last at least 5 MB, and none overlapping another; a chunk sent again at the same place
    /// replaces itself. Answers the whole file when the last chunk completes it.
    /// </summary>
    private (string? Error, byte[]? Bytes) AddChunk(string uploadId, long start, byte[] chunk, long? total)
    {
        var chunks = _chunks.GetOrAdd(uploadId, _ => new SortedDictionary<long, byte[]>());
        lock (chunks)
        {
            if (start > 0 && !chunks.ContainsKey(0)) return ("The first chunk must arrive first", null);
            if (chunks.Any(c => c.Key != start && c.Key < start + chunk.Length && start < c.Key + c.Value.Length))
                return ($"Chunk {start}-{start + chunk.Length - 1} overlaps another chunk of the upload", null);
            var covered = chunks.Where(c => c.Key != start).Sum(c => (long)c.Value.Length) + chunk.Length;
            if (total is null || covered < total)
            {
                if (total is not null) return ("The last chunk must arrive after all the others", null);
                if (chunk.Length < 5 * 1024 * 1024) return ("Every chunk but the last must be at least 5 MB", null);
                chunks[start] = chunk;
                return (null, null);
            }
            chunks[start] = chunk;
            _chunks.TryRemove(uploadId, out _);
            using var whole = new MemoryStream();
            foreach (var (_, bytes) in chunks) whole.Write(bytes);
            return whole.Length == total ? (null, whole.ToArray()) : ("The chunks do not add up to the file's length", null);
        }
    }

    /// <summary>What Cloudinary's <c>auto</c> makes of the bytes: images (and PDFs) are images, MP4 and WebM videos, all else raw.</summary>
    private static string ResourceTypeOf(byte[] bytes)
    {
        ReadOnlySpan<byte> head = bytes.AsSpan(0, Math.Min(bytes.Length, 16));
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']) || head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])
            || head.StartsWith("GIF8"u8) || (head.Length >= 12 && head[8..12].SequenceEqual("WEBP"u8)) || head.StartsWith("%PDF"u8))
            return "image";
        if ((head.Length >= 8 && head[4..8].SequenceEqual("ftyp"u8)) || head.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]))
            return "video";
        return "raw";
    }

    private async Task<IResult> Destroy(HttpContext http, string cloud, string resourceType)
    {
        var form = await http.Request.ReadFormAsync();
        if (cloud != Cloud) return Error(404, "Invalid cloud_name " + cloud);
        if (SignatureProblem(form.ToDictionary(f => f.Key, f => f.Value.ToString())) is { } problem) return problem;
        var type = form.TryGetValue("type", out var t) ? t.ToString() : "upload";
        return Results.Json(new { result = _resources.TryRemove(Id(resourceType, type, form["public_id"].ToString()), out _) ? "ok" : "not found" });
    }

    private IResult List(HttpContext http, string cloud, string resourceType)
    {
        if (!Authorized(http, cloud)) return Error(401, "Invalid credentials");
        var max = int.TryParse(http.Request.Query["max_results"], out var n) ? Math.Min(n, 500) : 10;
        var start = int.TryParse(http.Request.Query["next_cursor"], out var c) ? c : 0;
        var all = _resources.Values.Where(r => r.ResourceType == resourceType).OrderByDescending(r => r.CreatedAt).ThenBy(r => r.PublicId, StringComparer.Ordinal).ToList();
        var page = all.Skip(start).Take(max).Select(Describe).ToList();
        return Results.Json(new Dictionary<string, object?>
        {
            ["resources"] = page,
            ["next_cursor"] = start + max < all.Count ? (start + max).ToString(CultureInfo.InvariantCulture) : null,
        });
    }

    private IResult? SignatureProblem(Dictionary<string, string> parameters)
    {
        if (parameters.GetValueOrDefault("api_key") != ApiKey) { Interlocked.Increment(ref RejectedSignatures); return Error(401, "Invalid api_key"); }
        if (!long.TryParse(parameters.GetValueOrDefault("timestamp"), out var timestamp)
            || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp) > 3600)
        {
            Interlocked.Increment(ref RejectedSignatures);
            return Error(401, "Stale request - reported time is more than 1 hour from now");
        }
        var expected = CloudinarySignature.Digest(CloudinarySignature.StringToSign(parameters) + ApiSecret, Algorithm);
        if (parameters.GetValueOrDefault("signature") == expected) return null;
        Interlocked.Increment(ref RejectedSignatures);
        return Error(401, $"Invalid Signature {parameters.GetValueOrDefault("signature")}. String to sign - '{CloudinarySignature.StringToSign(parameters)}'.");
    }

    private static bool Authorized(HttpContext http, string cloud) =>
        cloud == Cloud && http.Request.Headers.Authorization.ToString() == "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ApiKey}:{ApiSecret}"));

    private Dictionary<string, object?> Describe(Resource r) => new()
    {
        ["public_id"] = r.PublicId, ["version"] = r.Version, ["resource_type"] = r.ResourceType, ["type"] = r.Type,
        ["bytes"] = r.Bytes.LongLength, ["created_at"] = r.CreatedAt, ["signature"] = "x", ["format"] = "", ["width"] = 0, ["height"] = 0,
        ["etag"] = "e", ["url"] = $"{BaseUrl}/{Cloud}/{r.ResourceType}/{r.Type}/v{r.Version}/{r.PublicId}",
        ["secure_url"] = $"{BaseUrl}/{Cloud}/{r.ResourceType}/{r.Type}/v{r.Version}/{r.PublicId}",
    };

    private static string Id(string resourceType, string type, string publicId) => $"{resourceType}/{type}/{publicId}";

    private static IResult Error(int status, string message) => Results.Json(new { error = new { message } }, statusCode: status);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
