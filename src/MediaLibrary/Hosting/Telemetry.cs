using MediaLibrary.Auth;
using MediaLibrary.Data;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MediaLibrary.Hosting;

/// <summary>
/// OpenTelemetry: the service's own instruments (meters and activity sources named MediaLibrary.*), ASP.NET Core's
/// (requests by route and status, delivery among them), outgoing HTTP (S3, Cloudinary, cache purges) and the database's.
/// Metrics go to Prometheus at /metrics and/or OTLP; traces go to OTLP. Nothing is collected when neither is configured.
/// </summary>
public static class Telemetry
{
    public const string Sources = "MediaLibrary.*";

    public static IServiceCollection AddMediaLibraryTelemetry(this IServiceCollection services, TelemetryOptions options, DatabaseProvider database)
    {
        if (!options.MetricsServed && !options.Otlp) return services;

        var telemetry = services.AddOpenTelemetry().ConfigureResource(r => r.AddService("medialibrary"));
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(Sources, "System.Runtime").AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
            if (database == DatabaseProvider.Postgres) metrics.AddNpgsqlInstrumentation();
            if (options.MetricsServed) metrics.AddPrometheusExporter();
        });
        if (options.Otlp)
        {
            // Request → database → storage → cleanup: the service's spans nest under ASP.NET Core's, and the storage
            // providers' HTTP calls and the database commands under those.
            telemetry.WithTracing(tracing =>
            {
                tracing.AddSource(Sources).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (database == DatabaseProvider.Postgres) tracing.AddNpgsql();
                else tracing.AddEntityFrameworkCoreInstrumentation();
            });
            telemetry.UseOtlpExporter();
        }
        return services;
    }

    /// <summary>On the metrics port (MEDIALIB_METRICS_URL) nothing but /metrics answers: that port has no token to ask for.</summary>
    public static IApplicationBuilder UseMetricsPort(this IApplicationBuilder app, TelemetryOptions options)
    {
        if (options.MetricsPort is not { } port) return app;
        return app.Use((context, next) =>
        {
            if (context.Connection.LocalPort != port || context.Request.Path.StartsWithSegments("/metrics")) return next(context);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }

    /// <summary>/metrics: on its own URL without a token (MEDIALIB_METRICS_URL), else on the service's port for admins.</summary>
    public static void MapMetrics(this IEndpointRouteBuilder app, TelemetryOptions options)
    {
        if (!options.MetricsServed) return;
        var endpoint = app.MapPrometheusScrapingEndpoint("/metrics").ExcludeFromDescription();
        if (options.MetricsPort is { } port) endpoint.RequireHost($"*:{port}");
        else endpoint.RequireAuthorization(Policies.Admin);
    }
}
