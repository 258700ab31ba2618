using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using MediaLibrary.Web;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace MediaLibrary.Media;

/// <summary>A file part as it arrives: its type read from the first bytes, the rest still on the wire.</summary>
public sealed class IncomingFile(string fileName, SniffResult sniff, HashingStream content)
{
    public string FileName { get; } = fileName;
    public SniffResult Sniff { get; } = sniff;

    /// <summary>The whole file (sniffed head included); hashes and counts as it is read.</summary>
    public HashingStream Content { get; } = content;
}

/// <summary>
/// Reads multipart/form-data section by section, straight from the request body: the file part is handed to a
/// callback as a stream (never buffered whole, never written to a temp file by the framework), text fields are
/// read with a length bound.
/// </summary>
public static class MultipartUpload
{
    public const string FileField = "file";
    private const int MaxFieldBytes = 16 * 1024;

    public static async Task<Dictionary<string, string>> ReadAsync(
        HttpRequest request, long maxFileBytes, Func<IncomingFile, CancellationToken, Task> onFile, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            throw RequestValidationException.For(FileField, "Send the request as multipart/form-data with the file in a 'file' field.");
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrWhiteSpace(boundary) || boundary.Length > 70)
            throw RequestValidationException.For(FileField, "The multipart boundary is missing or longer than 70 characters.");

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        // 64 KB instead of the default 4 KB: the file part is copied in a fraction of the calls (measured: bench/README.md).
        var reader = new MultipartReader(boundary, request.Body, 64 * 1024) { HeadersLengthLimit = 16 * 1024 };
        var sawFile = false;
        while (await NextSectionAsync(reader, ct) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                continue;
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            if (disposition.IsFileDisposition())
            {
                if (name != FileField) continue; // unknown file parts are skipped (the reader drains them)
                if (sawFile) throw RequestValidationException.For(FileField, "Send exactly one file per request.");
                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value;
                if (string.IsNullOrEmpty(fileName)) fileName = HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                sawFile = await ReadFileAsync(section.Body, fileName, maxFileBytes, onFile, ct);
            }
            else if (!fields.ContainsKey(name))
            {
                fields[name] = await ReadFieldAsync(name, section.Body, ct);
            }
        }
        if (!sawFile) throw RequestValidationException.For(FileField, "A non-empty file is required in the 'file' field.");
        return fields;
    }

    private static async Task<bool> ReadFileAsync(Stream body, string? rawFileName, long maxBytes, Func<IncomingFile, CancellationToken, Task> onFile, CancellationToken ct)
    {
        var head = ArrayPool<byte>.Shared.Rent(ContentSniffer.HeadLength);
        try
        {
            var length = 0;
            int read;
            while (length < ContentSniffer.HeadLength && (read = await ReadClientAsync(body, head.AsMemory(length, ContentSniffer.HeadLength - length), ct)) > 0)
                length += read;
            if (length == 0)
            {
                // Browsers send an empty part with filename="" when no file was chosen.
                if (string.IsNullOrEmpty(rawFileName)) return false;
                throw RequestValidationException.For(FileField, "The file is empty.");
            }
            var fileName = FileNames.Clean(rawFileName);
            var sniff = ContentSniffer.Sniff(head.AsSpan(0, length), fileName);
            // Reading the client's body maps its failures to UploadReadException: never mistaken for a storage fault.
            await using var content = new HashingStream(head.AsMemory(0, length), (buffer, ct2) => ReadClientAsync(body, buffer, ct2), maxBytes);
            await onFile(new IncomingFile(fileName, sniff, content), ct);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(head);
        }
    }

    private static async Task<string> ReadFieldAsync(string name, Stream body, CancellationToken ct)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await ReadClientAsync(body, buffer.AsMemory(length), ct)) > 0) length += read;
        if (length > MaxFieldBytes) throw RequestValidationException.For(name, $"The value is longer than {MaxFieldBytes} bytes.");
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, length);
        }
        catch (DecoderFallbackException)
        {
            throw RequestValidationException.For(name, "The value is not valid UTF-8.");
        }
    }

    private static async Task<MultipartSection?> NextSectionAsync(MultipartReader reader, CancellationToken ct)
    {
        try
        {
            return await reader.ReadNextSectionAsync(ct);
        }
        catch (InvalidDataException ex)
        {
            throw RequestValidationException.For(FileField, "The multipart body is malformed: " + ex.Message);
        }
        catch (IOException ex)
        {
            throw new UploadReadException("The connection failed while the upload was read.", ex);
        }
    }

    internal static async ValueTask<int> ReadClientAsync(Stream body, Memory<byte> buffer, CancellationToken ct)
    {
        try
        {
            return await body.ReadAsync(buffer, ct);
        }
        catch (InvalidDataException ex)
        {
            throw RequestValidationException.For(FileField, "The multipart body is malformed: " + ex.Message);
        }
        catch (IOException ex)
        {
            throw new UploadReadException("The connection failed while the upload was read.", ex);
        }
    }
}

/// <summary>
/// Read-only stream over an already-read head plus the rest of a source: computes SHA-256 and the byte count as
/// the bytes flow, and stops with 413 the moment the count passes the limit.
/// </summary>
public sealed class HashingStream(ReadOnlyMemory<byte> head, Func<Memory<byte>, CancellationToken, ValueTask<int>> readRest, long maxBytes) : Stream
{
    /// <summary>Over a plain source (a stored object): its read errors stay its own.</summary>
    public HashingStream(Stream source, long maxBytes) : this(ReadOnlyMemory<byte>.Empty, source.ReadAsync, maxBytes)
    {
    }

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private ReadOnlyMemory<byte> _head = head;
    private string? _sha256;

    public long BytesRead { get; private set; }

    /// <summary>Lowercase hex SHA-256 of everything read; available once the stream reached its end.</summary>
    public string Sha256 => _sha256 ?? throw new InvalidOperationException("The stream has not been read to its end.");

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        int n;
        if (!_head.IsEmpty)
        {
            n = Math.Min(buffer.Length, _head.Length);
            _head[..n].CopyTo(buffer);
            _head = _head[n..];
        }
        else
        {
            n = await readRest(buffer, ct);
        }
        if (n == 0)
        {
            _sha256 ??= Convert.ToHexStringLower(_hash.GetHashAndReset());
            return 0;
        }
        BytesRead += n;
        if (BytesRead > maxBytes) throw UploadLimits.TooLarge(maxBytes);
        _hash.AppendData(buffer.Span[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("Uploads are read asynchronously.");

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }
}

public static class UploadLimits
{
    public static ApiProblemException TooLarge(long maxBytes) => new(
        StatusCodes.Status413PayloadTooLarge,
        "The file is too large.",
        $"The upload limit is {FormatBytes(maxBytes)} ({maxBytes} bytes), set by MEDIALIB_MAX_UPLOAD_BYTES.",
        new Dictionary<string, object?> { ["max_upload_bytes"] = maxBytes });

    public static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30} GiB",
        >= 1L << 20 when bytes % (1L << 20) == 0 => $"{bytes >> 20} MiB",
        >= 1L << 10 when bytes % (1L << 10) == 0 => $"{bytes >> 10} KiB",
        _ => $"{bytes} bytes",
    };
}
