using System.ComponentModel.DataAnnotations;

namespace MediaLibrary.Web;

/// <summary>The HTTP surface's own settings.</summary>
public sealed class WebOptions : IValidatableObject
{
    /// <summary>Comma-separated origins of website frontends allowed to call the API from the browser; "*" for any.</summary>
    [ConfigurationKeyName("MEDIALIB_CORS_ORIGINS")]
    public string? CorsOrigins { get; set; }

    /// <summary>Parts of an upload's multipart form, of any kind: the file, its text fields, and parts the service skips.</summary>
    [ConfigurationKeyName("MEDIALIB_MAX_FORM_PARTS")]
    [Range(2, 1000, ErrorMessage = "MEDIALIB_MAX_FORM_PARTS must be between 2 and 1000.")]
    public int MaxFormParts { get; set; } = 16;

    /// <summary>The text fields of an upload's form together, in bytes (each one is at most 16 KiB).</summary>
    [ConfigurationKeyName("MEDIALIB_MAX_FORM_FIELD_BYTES")]
    [Range(1024, 16 * 1024 * 1024, ErrorMessage = "MEDIALIB_MAX_FORM_FIELD_BYTES must be between 1024 and 16777216.")]
    public int MaxFormFieldBytes { get; set; } = 64 * 1024;

    /// <summary>A JSON request body, in bytes; refused with 413 before it is read.</summary>
    [ConfigurationKeyName("MEDIALIB_MAX_JSON_BYTES")]
    [Range(1024, 16 * 1024 * 1024, ErrorMessage = "MEDIALIB_MAX_JSON_BYTES must be between 1024 and 16777216.")]
    public int MaxJsonBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Comma-separated addresses or networks (CIDR) of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are
    /// believed; from anyone else those headers are ignored. Empty: no one's.
    /// </summary>
    [ConfigurationKeyName("MEDIALIB_TRUSTED_PROXIES")]
    public string? TrustedProxies { get; set; }

    public IReadOnlyList<System.Net.IPNetwork> TrustedProxyNetworks => [.. Entries(TrustedProxies).Select(ParseProxy).OfType<System.Net.IPNetwork>()];

    private static System.Net.IPNetwork? ParseProxy(string entry)
    {
        if (System.Net.IPNetwork.TryParse(entry, out var network)) return network;
        if (System.Net.IPAddress.TryParse(entry, out var address))
            return new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        return null;
    }

    public IReadOnlyList<string> CorsOriginList => Entries(CorsOrigins);

    /// <summary>The entries of a comma-separated setting, trimmed, empty ones dropped.</summary>
    private static string[] Entries(string? list) => (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in Entries(TrustedProxies))
        {
            if (ParseProxy(proxy) is null)
                yield return new ValidationResult(
                    $"MEDIALIB_TRUSTED_PROXIES lists '{proxy}', which is neither an IP address (10.0.0.5, ::1) nor a network (10.0.0.0/8).");
        }
        foreach (var origin in CorsOriginList)
        {
            if (origin == "*") continue;
            // An origin is scheme, host and port: a path, even a trailing slash, never matches a browser's Origin header.
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.GetLeftPart(UriPartial.Authority) != origin.TrimEnd('/') || origin.EndsWith('/'))
                yield return new ValidationResult(
                    $"MEDIALIB_CORS_ORIGINS lists '{origin}', which is not an origin such as https://www.example.com (scheme, host and port; no path), nor *.");
        }
    }
}
