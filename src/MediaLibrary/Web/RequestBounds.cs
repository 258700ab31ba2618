using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Web;

public static class RequestBounds
{
    /// <summary>
    /// Every request body is bounded at MEDIALIB_MAX_JSON_BYTES unless its endpoint raises the bound for itself (the
    /// uploads raise it to the upload limit). A JSON body that declares a larger length is refused with 413 before a
    /// byte of it is read; one sent without a length (chunked) is cut off by Kestrel at the same bound, also with 413.
    /// </summary>
    public static IApplicationBuilder UseRequestBounds(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<WebOptions>>().Value.MaxJsonBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = limit;
        if (context.Request.ContentLength > limit && context.Request.HasJsonContentType())
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            var problem = new ProblemDetails
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = "The request is too large.",
                Detail = $"A JSON body is at most {limit} bytes (MEDIALIB_MAX_JSON_BYTES); this one declares {context.Request.ContentLength}.",
                Extensions = { ["max_json_bytes"] = limit },
            };
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
            return;
        }
        await next(context);
    });
}
