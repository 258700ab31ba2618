using System.Buffers;
using System.Text;
using MediaLibrary.Media;
using MediaLibrary.Web;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace MediaLibrary.Api;

/// <summary>
/// Reads multipart/form-data section by section, straight from the request body: the file part is handed to a
/// callback as a stream (never buffered whole, never written to a temp file by the framework), text fields are
/// read with a length bound.
/// </summary>
public static class MultipartUpload
{
    public const string FileField = "file";
    private const int MaxFieldBytes = 16 * 1024;

    public static async Task<IReadOnlyDictionary<string, string>> ReadAsync(
        HttpRequest request, long maxFileBytes, FormLimits limits, Func<IncomingFile, CancellationToken, Task> onFile, CancellationToken ct)
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
        var (parts, fieldBytes) = (0, 0);
        while (await NextSectionAsync(reader, ct) is { } section)
        {
            // Bounded before anything of the part is kept: a form of thousands of fields would otherwise hold them all.
            if (++parts > limits.MaxParts)
                throw limits.TooLarge($"The form has more than {limits.MaxParts} parts (MEDIALIB_MAX_FORM_PARTS).", "max_form_parts", limits.MaxParts);
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                continue;
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            if (disposition.IsFileDisposition())
            {
                if (name != FileField) continue; // unknown file parts are skipped (the reader drains them)
                if (sawFile) throw RequestValidationException.For(FileField, "Send exactly one file per request.");
                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value;
                // A quoted-string (RFC 7578, 4.2): "a\"b.png" is a"b.png, not a path ending in "b.png.
                if (string.IsNullOrEmpty(fileName)) fileName = HeaderUtilities.UnescapeAsQuotedString(disposition.FileName).Value;
                sawFile = await ReadFileAsync(section.Body, fileName, maxFileBytes, onFile, ct);
            }
            else if (!fields.ContainsKey(name))
            {
                var (value, bytes) = await ReadFieldAsync(name, section.Body, ct);
                fieldBytes += bytes + name.Length;
                if (fieldBytes > limits.MaxFieldBytes)
                    throw limits.TooLarge($"The form's text fields hold more than {limits.MaxFieldBytes} bytes (MEDIALIB_MAX_FORM_FIELD_BYTES).",
                        "max_form_field_bytes", limits.MaxFieldBytes);
                fields[name] = value;
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

    /// <summary>The field's text and how many bytes it took on the wire.</summary>
    private static async Task<(string Value, int Bytes)> ReadFieldAsync(string name, Stream body, CancellationToken ct)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await ReadClientAsync(body, buffer.AsMemory(length), ct)) > 0) length += read;
        if (length > MaxFieldBytes) throw RequestValidationException.For(name, $"The value is longer than {MaxFieldBytes} bytes.");
        try
        {
            return (new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, length), length);
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
