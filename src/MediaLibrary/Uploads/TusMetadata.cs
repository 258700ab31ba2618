using System.Text;
using MediaLibrary.Web;

namespace MediaLibrary.Uploads;

/// <summary>The tus Upload-Metadata header: comma-separated pairs of a key and its value in Base64 (the value may be absent).</summary>
public static class TusMetadata
{
    public const string Header = "Upload-Metadata";
    private const int MaxValueBytes = 16 * 1024;

    /// <summary>The pairs, decoded as UTF-8; a malformed header is a validation problem naming it.</summary>
    public static Dictionary<string, string> Parse(string? header)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(header)) return pairs;
        foreach (var pair in header.Split(','))
        {
            var parts = pair.Trim().Split(' ');
            if (parts.Length > 2 || parts[0].Length == 0 || parts[0].Any(c => c is < (char)0x21 or > (char)0x7E))
                throw Invalid("Each pair is a key without spaces or commas and, after one space, its value in Base64.");
            if (!pairs.TryAdd(parts[0], parts.Length == 1 ? "" : Decode(parts[0], parts[1])))
                throw Invalid($"The key '{parts[0]}' is given twice.");
        }
        return pairs;
    }

    private static string Decode(string key, string base64)
    {
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var length)) throw Invalid($"The value of '{key}' is not Base64.");
        if (length > MaxValueBytes) throw Invalid($"The value of '{key}' is longer than {MaxValueBytes} bytes.");
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            throw Invalid($"The value of '{key}' is not UTF-8.");
        }
    }

    private static RequestValidationException Invalid(string message) => RequestValidationException.For(Header, message);
}
