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

    private static readonly System.Text.RegularExpressions.Regex OursPattern =
        new("^((image|video|raw)/[a-z_]+/v[0-9]+/)?(_check/[0-9a-f]{24}|[0-9a-f]{24}/[0-9a-f]{24}/[a-z0-9_,.-]+)$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

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
