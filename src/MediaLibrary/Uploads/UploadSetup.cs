using MediaLibrary.Cleanup;

namespace MediaLibrary.Uploads;

public static class UploadSetup
{
    /// <summary>Uploads in pieces (tus) and their expiry.</summary>
    public static IServiceCollection AddUploads(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<UploadOptions>().Bind(config).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<ResumableUploads>();
        services.AddScoped<ICleanupPass, UploadExpiry>();
        return services;
    }
}
