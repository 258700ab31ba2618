using MediaLibrary.Cleanup;
using MediaLibrary.Media;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Webhooks;

public static class WebhookSetup
{
    /// <summary>Webhooks: the feed that queues deliveries in each change's transaction, the sender, and (with <paramref name="background"/>) the dispatcher.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration config, bool background)
    {
        services.AddOptions<WebhookOptions>().Bind(config).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpContextAccessor();
        services.AddSingleton<WebhookTargets>();
        services.AddSingleton<WebhookSubscriptions>();
        services.AddSingleton<WebhookSecrets>();
        services.AddScoped<WebhookFeed>();
        services.AddScoped<IChangeFeed>(sp => sp.GetRequiredService<WebhookFeed>());
        services.AddScoped<IFolderFeed>(sp => sp.GetRequiredService<WebhookFeed>());
        services.AddScoped<IRetirementFollowUp>(sp => sp.GetRequiredService<WebhookFeed>());
        services.AddScoped<WebhookRegistry>();
        services.AddScoped<ICleanupHandler, WebhookSender>();
        services.AddScoped<ICleanupPass, WebhookRetention>();
        services.AddHttpClient(WebhookSender.HttpClientName)
            .ConfigureHttpClient((sp, c) =>
            {
                c.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.TimeoutSeconds);
                c.DefaultRequestHeaders.UserAgent.ParseAdd("MediaLibrary-Webhooks/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                // Every connection goes through the address check; no proxy (it would dial for us) and no redirects (a
                // 3xx could point anywhere): a receiver that moved is a failed attempt until its endpoint is updated.
                ConnectCallback = sp.GetRequiredService<WebhookTargets>().ConnectAsync,
                UseProxy = false,
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            });
        if (background) services.AddHostedService<WebhookDispatcher>();
        return services;
    }
}
