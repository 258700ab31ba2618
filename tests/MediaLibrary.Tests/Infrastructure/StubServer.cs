using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MediaLibrary.Tests.Infrastructure;

/// <summary>A bare HTTP server on a free loopback port that hands every request to one handler (or its routes): the far side of an outgoing call.</summary>
public static class StubServer
{
    public static Task<WebApplication> StartAsync(RequestDelegate handle) => StartAsync(app => app.Run(handle));

    /// <summary>The same with routes of its own (<paramref name="map"/>); request bodies of any size.</summary>
    public static async Task<WebApplication> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return app;
    }

    public static string BaseUrlOf(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
}
