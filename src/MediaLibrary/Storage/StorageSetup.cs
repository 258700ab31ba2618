using MediaLibrary.Storage.Cloudinary;
using MediaLibrary.Storage.Local;
using MediaLibrary.Storage.S3;

namespace MediaLibrary.Storage;

public static class StorageSetup
{
    public static IServiceCollection AddMediaStorage(this IServiceCollection services, IConfiguration config, string dataDir)
    {
        services.AddOptions<StorageOptions>().Bind(config);
        services.AddOptions<LocalStorageOptions>().Bind(config)
            .PostConfigure(o => o.Root = string.IsNullOrWhiteSpace(o.Root) ? Path.Combine(dataDir, "files") : o.Root)
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
            services.AddHttpClient(CloudinaryBlobStore.HttpClientName, c => c.Timeout = TimeSpan.FromMinutes(5));
            services.AddSingleton<IBlobStore, CloudinaryBlobStore>();
        }
        services.AddSingleton<StorageRegistry>();
        return services;
    }
}
