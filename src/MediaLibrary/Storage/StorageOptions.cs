using MediaLibrary.Storage.Local;

namespace MediaLibrary.Storage;

public sealed class StorageOptions
{
    /// <summary>local, s3 or cloudinary: where new uploads go.</summary>
    [ConfigurationKeyName("MEDIALIB_STORAGE")]
    public string? Provider { get; set; }

    /// <summary>The setting of the system we replace: True selects Cloudinary when MEDIALIB_STORAGE is not set.</summary>
    [ConfigurationKeyName("USE_CLOUDINARY")]
    public bool UseCloudinary { get; set; }

    public string ActiveProvider =>
        !string.IsNullOrWhiteSpace(Provider) ? Provider.Trim().ToLowerInvariant() : UseCloudinary ? "cloudinary" : LocalBlobStore.ProviderName;
}
