using System.Diagnostics;
using MediaLibrary.Data;
using MediaLibrary.Imaging;
using MediaLibrary.Storage;
using MediaLibrary.Web;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Hosting;

/// <summary>The one place that turns exceptions into problem details (RFC 9457).</summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, WriteProbes probes, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            context.Response.StatusCode = 499; // the client is gone; nobody reads a body
            return true;
        }

        var fault = DatabaseFault.Classify(exception);
        var problem = exception switch
        {
            RequestValidationException v => new HttpValidationProblemDetails(v.Errors) { Status = 400, Title = "The request is invalid." },
            ApiProblemException p => WithExtensions(new ProblemDetails { Status = p.Status, Title = p.Title, Detail = p.Message }, p.Extensions),
            UploadReadException u => new ProblemDetails { Status = 400, Title = "The upload could not be read.", Detail = u.Message },
            BadHttpRequestException { StatusCode: 413 } => new ProblemDetails { Status = 413, Title = "The request is too large.", Detail = exception.Message },
            BadHttpRequestException b => new ProblemDetails { Status = b.StatusCode, Title = "The request is invalid.", Detail = b.Message },
            DbUpdateConcurrencyException or Media.MediaChangedException => new ProblemDetails { Status = 409, Title = "The media was changed by another request.", Detail = "Reload it and try again." },
            ImagingBusyException => new ProblemDetails { Status = 503, Title = "The image service is busy.", Detail = exception.Message },
            // A file's object went away between its lookup and its first byte: a replace or delete retired that version
            // meanwhile (its URL answers 404 from now on), or the storage lost it. Nothing was sent yet: say so.
            BlobNotFoundException when IsFileRead(context.Request) => new ProblemDetails
                { Status = 404, Title = "File not found.", Detail = "The file went away while it was being read: this version was replaced or deleted meanwhile." },
            StorageException { DiskFull: true } => new ProblemDetails
                { Status = 507, Title = "The storage's disk is full.", Detail = "Nothing was changed. Reads still work; uploads resume once space is made." },
            StorageException s => new ProblemDetails { Status = 503, Title = "The storage is unavailable.", Detail = $"The {s.Provider} storage failed; nothing was changed. Try again later." },
            _ when fault == DatabaseFaultKind.DiskFull => new ProblemDetails
                { Status = 503, Title = "The database's disk is full.", Detail = "Nothing was changed. Reads still work; writes resume once space is made." },
            _ when fault == DatabaseFaultKind.Unavailable => new ProblemDetails
                { Status = 503, Title = "The database is unavailable.", Detail = "It did not answer or refused for now. Try again shortly: a change " +
                  "it was committing as it went down may have been made, so retry an upload with the same Idempotency-Key." },
            _ => new ProblemDetails { Status = 500, Title = "An unexpected error occurred.", Detail = "The error was logged with the trace id below." },
        };

        // A 503 or 507 always says when to come back, so a client can tell a passing outage from a bug (a 500).
        var retryAfter = exception switch
        {
            ImagingBusyException => "2",
            StorageException { DiskFull: true } => "30",
            StorageException => "5",
            _ => fault switch { DatabaseFaultKind.DiskFull => "30", DatabaseFaultKind.Unavailable => "5", _ => null },
        };
        if (retryAfter is not null) context.Response.Headers.RetryAfter = retryAfter;
        if (fault != DatabaseFaultKind.None)
        {
            LogDatabaseFault(exception, fault, context.Request.Method, LogText.Safe(context.Request.Path));
            probes.Report(DatabaseHealthCheck.Probe, exception); // /health says so now, not at its next probe
        }
        else if (exception is StorageException { DiskFull: true }) probes.Report(StorageHealthCheck.Probe, exception); // a whole disk, not one object
        else if (exception is BlobNotFoundException gone && problem.Status == 404)
            LogFileGoneWhileRead(context.Request.Method, LogText.Safe(context.Request.Path), gone.Key, gone.Provider);
        else if (problem.Status >= 500 && exception is not ImagingBusyException) LogUnhandled(exception, context.Request.Method, LogText.Safe(context.Request.Path));
        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static bool IsFileRead(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && request.Path.StartsWithSegments("/files");

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path}: the object {StorageKey} on {Provider} went away while it was being read: answered 404")]
    private partial void LogFileGoneWhileRead(string method, string path, string storageKey, string provider);

    private static ProblemDetails WithExtensions(ProblemDetails problem, IDictionary<string, object?> extensions)
    {
        foreach (var (key, value) in extensions) problem.Extensions[key] = value;
        return problem;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {Method} {Path} answered 503: the database failed ({Fault})")]
    private partial void LogDatabaseFault(Exception exception, DatabaseFaultKind fault, string method, string path);

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
