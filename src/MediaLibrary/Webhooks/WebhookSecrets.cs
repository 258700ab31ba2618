using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace MediaLibrary.Webhooks;

/// <summary>
/// Signing secrets in the Standard Webhooks form (whsec_ and base64 of 24 to 64 random bytes), kept encrypted with
/// the data-protection key ring: a database dump alone signs nothing.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("MediaLibrary.Webhooks.Secret.v1");

    public const string Prefix = "whsec_";

    public static string New() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>What is wrong with a secret an admin chose, or null.</summary>
    public static string? Problem(string secret)
    {
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal))
            return "A secret starts with whsec_ followed by base64 of 24 to 64 random bytes; leave it out to have one made.";
        var bytes = new byte[secret.Length];
        return Convert.TryFromBase64String(secret[Prefix.Length..], bytes, out var n) && n is >= 24 and <= 64 ? null
            : "A secret starts with whsec_ followed by base64 of 24 to 64 random bytes; leave it out to have one made.";
    }

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string stored) => _protector.Unprotect(stored);
}
