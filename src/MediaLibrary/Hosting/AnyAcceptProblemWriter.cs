using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Hosting;

/// <summary>
/// Writes a problem as <c>application/problem+json</c> whatever the request's Accept names, after ASP.NET's own writer
/// (which writes only when Accept takes JSON) declined. An <c>&lt;img&gt;</c>'s request accepts only images: its 404 was
/// written by a fallback without the service's customisation (no <c>trace_id</c>), and an exception's problem not at
/// all. A 4xx or 5xx answer may ignore Accept (RFC 9110, 12.1); the body is the same problem every other client gets.
/// </summary>
internal sealed class AnyAcceptProblemWriter(IOptions<JsonOptions> json) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        ApiExceptionHandler.Customize(context);
        var problem = context.ProblemDetails;
        problem.Status ??= context.HttpContext.Response.StatusCode;
        return new ValueTask(context.HttpContext.Response.WriteAsJsonAsync(problem, problem.GetType(), json.Value.SerializerOptions,
            "application/problem+json", context.HttpContext.RequestAborted));
    }
}
