using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Web;

public static class WebSetup
{
    /// <summary>The API's JSON (snake_case, unknown fields refused; nesting past System.Text.Json's 64 levels refused) and CORS for the website frontends in MEDIALIB_CORS_ORIGINS.</summary>
    public static IServiceCollection AddWeb(this IServiceCollection services, IConfiguration config)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        });
        services.AddOptions<WebOptions>().Bind(config).ValidateDataAnnotations().ValidateOnStart();
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<WebOptions>>((cors, web) => cors.AddDefaultPolicy(policy =>
        {
            // Website frontends on other origins call the API with bearer tokens (no cookies), so listing origins is enough.
            var origins = web.Value.CorsOriginList;
            if (origins.Contains("*")) policy.AllowAnyOrigin();
            else policy.WithOrigins(origins.ToArray());
            policy.WithMethods("GET", "HEAD", "POST", "PATCH", "PUT", "DELETE")
                .WithHeaders("Authorization", "Content-Type", "If-Match", "If-None-Match", "Idempotency-Key", "Range")
                .WithExposedHeaders("ETag", "Location", "Idempotent-Replayed", "Content-Range");
        }));
        return services;
    }
}
