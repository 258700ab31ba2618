using MediaLibrary.Storage.Cloudinary;
using MediaLibrary.Storage.Local;
using MediaLibrary.Storage.S3;
using Microsoft.Extensions.Options;

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

/// <summary>
/// Every configured storage, by provider name. New uploads go to <see cref="Active"/>; rows and pending deletions
/// name the provider that holds their object, so objects stay reachable after the active storage changes.
/// </summary>
public sealed class StorageRegistry
{
    private readonly Dictionary<string, IBlobStore> _stores;

    public StorageRegistry(IEnumerable<IBlobStore> stores, IOptions<StorageOptions> options)
    {
        _stores = stores.ToDictionary(s => s.Provider, StringComparer.Ordinal);
        var active = options.Value.ActiveProvider;
        Active = _stores.GetValueOrDefault(active) ?? throw new OptionsValidationException("MEDIALIB_STORAGE", typeof(StorageOptions),
            [$"MEDIALIB_STORAGE={active} is not a storage provider; use local, s3 or cloudinary."]);
    }

    public IBlobStore Active { get; }

    public IReadOnlyCollection<IBlobStore> All => _stores.Values;

    public IBlobStore? Find(string provider) => _stores.GetValueOrDefault(provider);
}

public static class StorageSetup
{
    public static IServiceCollection AddMediaStorage(this IServiceCollection services, IConfiguration config, string dataDir)
    {
        services.AddOptions<StorageOptions>().Bind(config);
        services.AddOptions<LocalStorageOptions>()
            .Configure(o => o.Root = string.IsNullOrWhiteSpace(config["MEDIALIB_STORAGE_ROOT"]) ? Path.Combine(dataDir, "files") : config["MEDIALIB_STORAGE_ROOT"]!)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IBlobStore, LocalBlobStore>();

        var active = config.Get<StorageOptions>()?.ActiveProvider;
        // An adapter is there when it is the active one (then its settings must be complete) or when it is configured.
        if (active == S3BlobStore.ProviderName || !string.IsNullOrWhiteSpace(config["MEDIALIB_S3_BUCKET"]))
        {
            services.AddOptions<S3Options>().Bind(config).ValidateDataAnnotations().ValidateOnStart();
            services.AddSingleton<IBlobStore, S3BlobStore>();
        }
        if (active == CloudinaryBlobStore.ProviderName || !string.IsNullOrWhiteSpace(config["CLOUDINARY_URL"]) || !string.IsNullOrWhiteSpace(config["CLOUDINARY_CLOUD_NAME"]))
        {
            services.AddOptions<CloudinaryOptions>().Bind(config).ValidateDataAnnotations().ValidateOnStart();
            services.AddHttpClient<CloudinaryBlobStore>(c => c.Timeout = TimeSpan.FromMinutes(5));
            services.AddSingleton<IBlobStore>(sp => sp.GetRequiredService<CloudinaryBlobStore>());
        }
        services.AddSingleton<StorageRegistry>();
        return services;
    }
}
