using MediaLibrary.Cleanup;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Media;

public static class MediaSetup
{
    /// <summary>The lifecycle, the queries, the one retirement path, and what the cleanup queue asks of media rows.</summary>
    public static IServiceCollection AddMedia(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<MediaOptions>().Bind(config).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<MediaLifecycle>();
        services.AddScoped<MediaQueries>();
        services.AddScoped<ListPlanner>();
        services.AddScoped<VersionRetirement>();
        services.AddScoped<Derivatives>();
        services.AddScoped<StorageMigration>();
        services.AddScoped<FolderTree>();
        services.AddScoped<MediaTags>();
        services.AddScoped<MediaReferences>();
        services.AddScoped<MediaBulk>();
        services.AddScoped<MediaTrash>();
        services.AddScoped<MediaHistory>();
        services.AddScoped<ChangeActor>();
        services.AddSingleton<MediaMetrics>();
        services.AddSingleton<FileLookups>();
        services.AddMemoryCache(o => o.SizeLimit = 100_000); // file lookups by (id, version)
        services.AddScoped<IStorageReferences, MediaStorageReferences>();
        services.AddScoped<ICleanupPass, IdempotencyKeyExpiry>();
        services.AddScoped<ICleanupPass, TrashPurge>();
        services.AddScoped<ICleanupPass, HistoryRetention>();
        return services;
    }

    /// <summary>The upload allow-list (MEDIALIB_ALLOWED_TYPES), for the parts that act on content types: libvips' loaders.</summary>
    public static Func<string, bool> AcceptedTypes(IServiceProvider services) => services.GetRequiredService<IOptions<MediaOptions>>().Value.IsAllowed;
}
