using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Web;

public static class RequestBounds
{
    /// <summary>
    /// Every request body is bounded at MEDIALIB_MAX_JSON_BYTES unless its endpoint raises the bound for itself (the
    /// uploads raise it to the upload limit). A JSON body that declares a larger length is refused with 413 before a
    /// byte of it is read; one sent without a length (chunked) is cut off by Kestrel at the same bound, also with 413.
    /// Both become problem details in the one exception handler.
    /// </summary>
    public static IApplicationBuilder UseRequestBounds(this IApplicationBuilder app)
    {
        var bound = app.ApplicationServices.GetRequiredService<IOptions<WebOptions>>().Value.MaxJsonBytes;
        return app.Use((context, next) =>
        {
            // An endpoint that takes long lists (a bulk request's ids) says so; the bound is never lowered by it.
            var limit = Math.Max(bound, context.GetEndpoint()?.Metadata.GetMetadata<JsonBodyLimit>()?.Bytes ?? 0);
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = limit;
            if (context.Request.ContentLength > limit && context.Request.HasJsonContentType())
                throw new ApiProblemException(StatusCodes.Status413PayloadTooLarge, "The request is too large.",
                    limit == bound
                        ? $"A JSON body is at most {limit} bytes (MEDIALIB_MAX_JSON_BYTES); this one declares {context.Request.ContentLength}."
                        : $"A JSON body for this endpoint is at most {limit} bytes; this one declares {context.Request.ContentLength}.",
                    new Dictionary<string, object?> { ["max_json_bytes"] = limit });
            return next(context);
        });
    }
}
