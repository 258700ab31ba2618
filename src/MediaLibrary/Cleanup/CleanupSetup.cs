namespace MediaLibrary.Cleanup;

public static class CleanupSetup
{
    /// <summary>
    /// The durable queue and the reconciler; with <paramref name="background"/>, the worker that retries the queue and
    /// the periodic reconciler (not for a command-line verb). The feature that owns rows registers IStorageReferences.
    /// </summary>
    public static IServiceCollection AddCleanup(this IServiceCollection services, IConfiguration config, bool background)
    {
        services.AddOptions<CleanupOptions>().Bind(config).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ReconcileOptions>().Bind(config).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<CleanupQueue>();
        services.AddScoped<Reconciler>();
        services.AddSingleton<CleanupMetrics>();
        if (background)
        {
            services.AddHostedService<CleanupWorker>();
            services.AddHostedService<ReconcileWorker>();
        }
        return services;
    }
}
