using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.HttpOverrides;
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
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<WebOptions>>((forwarded, web) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the listed proxies, not the framework's default of loopback: a header from anyone else is the client's word.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var network in web.Value.TrustedProxyNetworks) forwarded.KnownIPNetworks.Add(network);
            // A chain of listed proxies is walked to its first unlisted hop: that is the client.
            forwarded.ForwardLimit = null;
        });
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<WebOptions>>((cors, web) => cors.AddDefaultPolicy(policy =>
        {
            // Website frontends on other origins call the API with bearer tokens (no cookies), so listing origins is enough.
            var origins = web.Value.CorsOriginList;
            if (origins.Contains("*")) policy.AllowAnyOrigin();
            else policy.WithOrigins(origins.ToArray());
            // The tus headers (resumable uploads) both ways, as tus clients in browsers need them.
            policy.WithMethods("GET", "HEAD", "POST", "PATCH", "PUT", "DELETE")
                .WithHeaders("Authorization", "Content-Type", "If-Match", "If-None-Match", "Idempotency-Key", "Range",
                    "Tus-Resumable", "Upload-Length", "Upload-Offset", "Upload-Metadata", "Upload-Checksum")
                .WithExposedHeaders("ETag", "Location", "Idempotent-Replayed", "Content-Range",
                    "Tus-Resumable", "Tus-Version", "Tus-Extension", "Tus-Max-Size", "Tus-Checksum-Algorithm",
                    "Upload-Offset", "Upload-Length", "Upload-Expires", "Media-Id");
        }));
        return services;
    }
}
