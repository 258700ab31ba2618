using MediaLibrary.Cleanup;
using MediaLibrary.Media;

namespace MediaLibrary.Delivery;

public static class DeliverySetup
{
    /// <summary>URLs, renders, and the purge of retired URLs from the cache in front (a kind of the cleanup queue).</summary>
    public static IServiceCollection AddDelivery(this IServiceCollection services)
    {
        services.AddSingleton<MediaUrls>();
        services.AddSingleton<DerivativeRenderer>();
        services.AddHttpClient<CachePurger>(c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddTransient<ICleanupHandler>(sp => sp.GetRequiredService<CachePurger>());
        services.AddScoped<IRetirementFollowUp, CachePurgeFollowUp>();
        return services;
    }
}
