using System.ComponentModel.DataAnnotations;

namespace MediaLibrary.Storage.Cloudinary;

/// <summary>Configured the way the system we replace configured it (and the official SDKs read it).</summary>
public sealed class CloudinaryOptions : IValidatableObject
{
    /// <summary>cloudinary://API_KEY:API_SECRET@CLOUD_NAME; the separate settings below win where both are set.</summary>
    [ConfigurationKeyName("CLOUDINARY_URL")]
    public string? Url { get; set; }

    [ConfigurationKeyName("CLOUDINARY_CLOUD_NAME")]
    public string? CloudName { get; set; }

    [ConfigurationKeyName("CLOUDINARY_API_KEY")]
    public string? ApiKey { get; set; }

    [ConfigurationKeyName("CLOUDINARY_API_SECRET")]
    public string? ApiSecret { get; set; }

    [ConfigurationKeyName("CLOUDINARY_UPLOAD_PREFIX")]
    public string UploadPrefix { get; set; } = "https://api.cloudinary.com";

    /// <summary>Base of delivery URLs (a private CDN or CNAME); default Cloudinary's own.</summary>
    [ConfigurationKeyName("CLOUDINARY_DELIVERY_PREFIX")]
    public string DeliveryPrefix { get; set; } = "https://res.cloudinary.com";

    /// <summary>sha1 (Cloudinary's default) or sha256, as set for the product environment.</summary>
    [ConfigurationKeyName("CLOUDINARY_SIGNATURE_ALGORITHM")]
    [RegularExpression("^(sha1|sha256)$", ErrorMessage = "CLOUDINARY_SIGNATURE_ALGORITHM is sha1 or sha256.")]
    public string SignatureAlgorithm { get; set; } = "sha1";

    /// <summary>Files larger than this go up in chunks of this size.</summary>
    [ConfigurationKeyName("CLOUDINARY_CHUNK_SIZE_MB")]
    [Range(5, 100, ErrorMessage = "CLOUDINARY_CHUNK_SIZE_MB is from 5 to 100.")]
    public int ChunkSizeMb { get; set; } = 20;

    public string Cloud => CloudName ?? FromUrl().Cloud ?? "";
    public string Key => ApiKey ?? FromUrl().Key ?? "";
    public string Secret => ApiSecret ?? FromUrl().Secret ?? "";

    private (string? Key, string? Secret, string? Cloud) FromUrl()
    {
        if (string.IsNullOrWhiteSpace(Url) || !Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme != "cloudinary") return default;
        var user = uri.UserInfo.Split(':', 2);
        return (Uri.UnescapeDataString(user[0]), user.Length > 1 ? Uri.UnescapeDataString(user[1]) : null, uri.Host);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Url) && FromUrl().Cloud is null)
            yield return new ValidationResult("CLOUDINARY_URL is not of the form cloudinary://API_KEY:API_SECRET@CLOUD_NAME.");
        if (Cloud.Length == 0) yield return new ValidationResult("Cloudinary needs a cloud name: set CLOUDINARY_CLOUD_NAME or CLOUDINARY_URL.");
        if (Key.Length == 0) yield return new ValidationResult("Cloudinary needs an API key: set CLOUDINARY_API_KEY or CLOUDINARY_URL.");
        if (Secret.Length == 0) yield return new ValidationResult("Cloudinary needs an API secret: set CLOUDINARY_API_SECRET or CLOUDINARY_URL.");
    }
}
