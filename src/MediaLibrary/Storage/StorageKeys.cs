namespace MediaLibrary.Storage;

/// <summary>Server-side key rules: <c>{storageId}/{fileId}/{original|derivative}</c>.</summary>
public static class StorageKeys
{
    public static string NewId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));

    public static string Original(string storageId, string fileId) => $"{storageId}/{fileId}/original";

    /// <summary>
    /// A derivative's key beside its original (<c>{storageId}/{fileId}/{transform}-{random}</c>), whatever provider
    /// prefix the original's stored key carries. Fresh for every render, so a key is never written twice.
    /// </summary>
    public static string Derivative(string originalKey, string transform)
    {
        var parts = originalKey.Split('/');
        if (parts.Length < 3 || parts[^1] != "original") throw new ArgumentException($"'{originalKey}' is not an original's key.", nameof(originalKey));
        return $"{parts[^3]}/{parts[^2]}/{transform.Replace(',', '-')}-{NewId()[..12]}";
    }

    private const string TailPrefix = "upload-tail-";

    /// <summary>
    /// Where a resumable upload to <paramref name="key"/> keeps its bytes from <paramref name="start"/> (past its last
    /// whole part) until a part fills: beside the key, named by where they start.
    /// </summary>
    public static string ResumableTail(string key, long start) => ResumableTailPrefix(key) + start.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string ResumableTailPrefix(string key) => key[..(key.LastIndexOf('/') + 1)] + TailPrefix;

    /// <summary>The key whose resumable upload a tail object belongs to (the original beside it); null for any other key.</summary>
    public static string? ResumableTailOwner(string key)
    {
        var slash = key.LastIndexOf('/');
        return key.AsSpan(slash + 1).StartsWith(TailPrefix, StringComparison.Ordinal) ? key[..(slash + 1)] + "original" : null;
    }

    private static readonly System.Text.RegularExpressions.Regex OursPattern =
        new("^((image|video|raw)/[a-z_]+/v[0-9]+/)?(_check/[0-9a-f]{24}|[0-9a-f]{24}/[0-9a-f]{24}/[a-z0-9_,.-]+)$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>
    /// The key as this service generated it: a Cloudinary locator (<c>{resource_type}/{type}/v{version}/</c> before it) without
    /// its prefix, any other key as it is. An upload's entry in the queue names the generated key, the stored object its locator.
    /// </summary>
    public static string Generated(string key)
    {
        var match = OursPattern.Match(key);
        return match.Success ? match.Groups[3].Value : key;
    }

    /// <summary>Shaped like a key this service generates: the reconciler never touches anything else in a shared bucket.</summary>
    public static bool IsOurs(string key) => OursPattern.IsMatch(key);

    public static bool IsValid(string key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 1024) return false;
        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0 || segment is "." or "..") return false;
            foreach (var c in segment)
                if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.' or ',')) return false;
        }
        return true;
    }

    public static void EnsureValid(string key)
    {
        if (!IsValid(key)) throw new ArgumentException($"'{key}' is not a valid storage key.", nameof(key));
    }
}
