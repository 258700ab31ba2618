using Microsoft.AspNetCore.StaticFiles;

namespace MediaLibrary.Web;

public static class ResponseHeaders
{
    /// <summary>If-None-Match holds <paramref name="etag"/> (weak comparison, RFC 9110 13.1.2) or "*".</summary>
    public static bool IfNoneMatches(this HttpRequest request, string etag)
    {
        var tag = new Microsoft.Net.Http.Headers.EntityTagHeaderValue(etag);
        return request.GetTypedHeaders().IfNoneMatch.Any(t => t.Equals(Microsoft.Net.Http.Headers.EntityTagHeaderValue.Any) || t.Compare(tag, useStrongComparison: false));
    }

    /// <summary>nosniff on every response; API JSON is never cached (files carry their own immutable policy).</summary>
    public static IApplicationBuilder UseMediaLibraryHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            if (context.Request.Path.StartsWithSegments("/api") && !headers.ContainsKey("Cache-Control"))
                headers.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        return next(context);
    });

    /// <summary>
    /// The TypeScript client for website frontends, compiled into wwwroot/client: /client/media.js (an ES module) and
    /// /client/media.d.ts; and the editors' page's script and styles in wwwroot/app. Not versioned by URL, so
    /// browsers revalidate them (ETag) instead of caching them blindly.
    /// </summary>
    public static IApplicationBuilder UseClientModule(this IApplicationBuilder app)
    {
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".js"] = "text/javascript; charset=utf-8";
        types.Mappings[".ts"] = "application/typescript; charset=utf-8";
        return app.UseStaticFiles(new StaticFileOptions
        {
            ContentTypeProvider = types,
            OnPrepareResponse = context =>
            {
                context.Context.Response.Headers.CacheControl = "no-cache";
                if (context.Context.Request.Path.StartsWithSegments("/client"))
                    context.Context.Response.Headers.AccessControlAllowOrigin = "*"; // websites on other origins import it
            },
        });
    }
}
