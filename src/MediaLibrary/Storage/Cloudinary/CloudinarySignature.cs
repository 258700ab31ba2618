using System.Security.Cryptography;
using System.Text;

namespace MediaLibrary.Storage.Cloudinary;

/// <summary>
/// Cloudinary request signatures: every sent parameter except file, cloud_name, resource_type and api_key, sorted
/// by name, joined as name=value with '&amp;' (arrays joined with ','), the API secret appended, hex SHA-1 or SHA-256.
/// </summary>
public static class CloudinarySignature
{
    private static readonly HashSet<string> Unsigned = new(StringComparer.Ordinal) { "file", "cloud_name", "resource_type", "api_key", "signature" };

    public static string StringToSign(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join("&", parameters
            .Where(p => !Unsigned.Contains(p.Key) && p.Value.Length > 0)
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}"));

    public static string Sign(IEnumerable<KeyValuePair<string, string>> parameters, string secret, string algorithm = "sha1") =>
        Digest(StringToSign(parameters) + secret, algorithm);

    public static string Digest(string text, string algorithm)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return Convert.ToHexStringLower(algorithm.Equals("sha256", StringComparison.OrdinalIgnoreCase) ? SHA256.HashData(bytes) : SHA1.HashData(bytes));
    }
}
