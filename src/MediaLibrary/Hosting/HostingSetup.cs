using MediaLibrary.Cleanup;
using MediaLibrary.Data;
using MediaLibrary.Web;

namespace MediaLibrary.Hosting;

public static class HostingSetup
{
    /// <summary>--urls or ASPNETCORE_URLS, else http://localhost:5080; and MEDIALIB_METRICS_URL beside them when set.</summary>
    public static IWebHostBuilder ListenOn(this IWebHostBuilder host, IConfiguration config, TelemetryOptions telemetry)
    {
        var urls = !string.IsNullOrEmpty(config["urls"]) ? config["urls"] : config["ASPNETCORE_URLS"];
        if (string.IsNullOrEmpty(urls)) urls = "http://localhost:5080";
        if (telemetry.MetricsPort is not null) urls += ";" + telemetry.MetricsUrl!.TrimEnd('/');
        return host.UseUrls(urls);
    }

    /// <summary>Problem details from one exception handler, the OpenAPI document, /health, metrics and traces.</summary>
    public static IServiceCollection AddHosting(this IServiceCollection services, IConfiguration config, TelemetryOptions telemetry, DatabaseProvider database)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ApiExceptionHandler.Customize);
        services.AddSingleton<IProblemDetailsWriter, AnyAcceptProblemWriter>(); // after ASP.NET's: for what it declines
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer<BearerSecurityTransformer>();
            o.AddDocumentTransformer<OpenApiShapeTransformer>();
            o.AddOperationTransformer<BearerSecurityTransformer>();
            o.AddOperationTransformer<OpenApiShapeTransformer>();
        });
        services.AddSingleton<WriteProbes>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database").AddCheck<StorageHealthCheck>("storage")
            .AddCheck<DeletionBacklogHealthCheck>("deletions");
        services.AddOptions<TelemetryOptions>().Bind(config).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<HealthOptions>().Bind(config).ValidateDataAnnotations().ValidateOnStart();
        services.AddMediaLibraryTelemetry(telemetry, database);
        return services;
    }
}
