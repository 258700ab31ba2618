namespace MediaLibrary.Web;

public static class ResponseHeaders
{
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
}
