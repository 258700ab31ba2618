using System.Diagnostics;
using MediaLibrary.Imaging;
using MediaLibrary.Storage;
using MediaLibrary.Web;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Hosting;

/// <summary>The one place that turns exceptions into problem details (RFC 9457).</summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            context.Response.StatusCode = 499; // the client is gone; nobody reads a body
            return true;
        }

        var problem = exception switch
        {
            RequestValidationException v => new HttpValidationProblemDetails(v.Errors) { Status = 400, Title = "The request is invalid." },
            ApiProblemException p => WithExtensions(new ProblemDetails { Status = p.Status, Title = p.Title, Detail = p.Message }, p.Extensions),
            UploadReadException u => new ProblemDetails { Status = 400, Title = "The upload could not be read.", Detail = u.Message },
            BadHttpRequestException { StatusCode: 413 } => new ProblemDetails { Status = 413, Title = "The request is too large.", Detail = exception.Message },
            BadHttpRequestException b => new ProblemDetails { Status = b.StatusCode, Title = "The request is invalid.", Detail = b.Message },
            DbUpdateConcurrencyException or Media.MediaChangedException => new ProblemDetails { Status = 409, Title = "The media was changed by another request.", Detail = "Reload it and try again." },
            ImagingBusyException => new ProblemDetails { Status = 503, Title = "The image service is busy.", Detail = exception.Message },
            StorageException s => new ProblemDetails { Status = 503, Title = "The storage is unavailable.", Detail = $"The {s.Provider} storage failed; nothing was changed. Try again later." },
            _ => new ProblemDetails { Status = 500, Title = "An unexpected error occurred.", Detail = "The error was logged with the trace id below." },
        };

        if (exception is ImagingBusyException) context.Response.Headers.RetryAfter = "2";
        else if (problem.Status >= 500) LogUnhandled(exception, context.Request.Method, LogText.Safe(context.Request.Path));
        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails WithExtensions(ProblemDetails problem, IDictionary<string, object?> extensions)
    {
        foreach (var (key, value) in extensions) problem.Extensions[key] = value;
        return problem;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {Method} {Path} failed")]
    private partial void LogUnhandled(Exception exception, string method, string path);

    /// <summary>Every problem carries the trace id, under the API's snake_case name.</summary>
    public static void Customize(ProblemDetailsContext context)
    {
        context.ProblemDetails.Extensions.Remove("traceId");
        context.ProblemDetails.Extensions["trace_id"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
        context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
    }
}
