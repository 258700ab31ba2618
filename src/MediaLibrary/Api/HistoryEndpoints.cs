using System.Globalization;
using MediaLibrary.Auth;
using MediaLibrary.Media;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MediaLibrary.Api;

/// <summary>
/// The history of changes: each media's (editors), and the audit list across the library (admins), newest first,
/// filtered by actor, action, media and time range, paged with a cursor. Entries outlive their media.
/// </summary>
public static partial class HistoryEndpoints
{
    private static readonly string[] Actions =
        ["created", "edited", "replaced", "trashed", "restored", "purged", "deleted", "referenced", "unreferenced"];

    /// <summary>Names the signed-in user, the request and the client address on this request's changes.</summary>
    /// <remarks>A change made with an API key is named after the key, and logged with the key, the request and its answer.</remarks>
    public static IApplicationBuilder UseChangeActor(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var actor = http.RequestServices.GetRequiredService<ChangeActor>();
        long? keyId = null;
        if (http.User.Identity?.IsAuthenticated == true)
        {
            actor.Name = http.User.FindFirst("name")?.Value ?? "unknown";
            actor.UserId = long.TryParse(http.User.FindFirst("sub")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
            keyId = long.TryParse(http.User.FindFirst(ApiKeyAuthentication.KeyIdClaim)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var key)
                ? key : null;
        }
        actor.RequestId = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
        actor.ClientAddress = http.Connection.RemoteIpAddress?.ToString();
        if (keyId is null || HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method))
        {
            await next(http);
            return;
        }
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("MediaLibrary.Auth.ApiKeyRequests");
        using (logger.BeginScope(new Dictionary<string, object> { ["ApiKeyId"] = keyId.Value, ["Actor"] = actor.Name }))
        {
            try
            {
                await next(http);
            }
            finally
            {
                LogKeyChange(logger, http.Request.Method, Web.LogText.Safe(http.Request.Path.Value), keyId.Value, actor.Name, http.Response.StatusCode, actor.RequestId);
            }
        }
    });

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} with API key {ApiKeyId} ({Actor}): answered {StatusCode}, request {RequestId}")]
    private static partial void LogKeyChange(ILogger logger, string method, string path, long apiKeyId, string actor, int statusCode, string? requestId);

    public static void MapHistory(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/media/{id:long}/history", OfMedia).WithTags("History").RequireAuthorization(Policies.Edit).WithName("GetMediaHistory")
            .WithSummary("Every change of one media, newest first: action, actor, time, request id, client address and what changed "
                + "(details: fields before and after, versions, reference keys). Kept after the media is deleted, for MEDIALIB_HISTORY_DAYS.");
        app.MapGet("/api/history", Audit).WithTags("History").RequireAuthorization(Policies.Admin).WithName("ListHistory")
            .WithSummary("The audit list (admins): every change in the library, newest first; filter by actor (a user name, or an API key as key mlk_… (name)), action, "
                + "media_id, since and until (ISO 8601, until exclusive); next is a link with a cursor.");
    }

    public static async Task<Results<Ok<HistoryListResponse>, ValidationProblem, ProblemHttpResult>> OfMedia(
        long id, HttpRequest request, MediaHistory history, MediaQueries media, CancellationToken ct,
        [FromQuery] string? cursor = null, [FromQuery(Name = "page_size")] string? pageSize = null)
    {
        var errors = new Dictionary<string, string[]>();
        var (after, size) = CursorPaging.Read(cursor, TimeCursor.History, pageSize, errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The request is invalid.");
        var (items, next) = await history.ListAsync(new HistoryFilter(MediaId: id), after, size, ct);
        if (items.Count == 0 && after is null && !await media.ExistsAsync(id, ct))
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Media not found.",
                detail: $"There is no media with id {id}, and no history of one.");
        return TypedResults.Ok(Response(request, items, next));
    }

    public static async Task<Results<Ok<HistoryListResponse>, ValidationProblem>> Audit(
        HttpRequest request, MediaHistory history, CancellationToken ct,
        [FromQuery] string? actor = null, [FromQuery] string? action = null, [FromQuery(Name = "media_id")] string? mediaId = null,
        [FromQuery] string? since = null, [FromQuery] string? until = null,
        [FromQuery] string? cursor = null, [FromQuery(Name = "page_size")] string? pageSize = null)
    {
        var errors = new Dictionary<string, string[]>();
        var (after, size) = CursorPaging.Read(cursor, TimeCursor.History, pageSize, errors);
        if (actor is { Length: 0 or > 100 }) errors["actor"] = ["actor is who made the change as the history names it (a user name, or an API key), 1 to 100 characters."];
        if (action is not null && !Actions.Contains(action)) errors["action"] = [$"action is one of {string.Join(", ", Actions)}."];
        long? media = null;
        if (mediaId is not null)
        {
            if (long.TryParse(mediaId, NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m > 0) media = m;
            else errors["media_id"] = ["media_id is a media's id."];
        }
        var from = Time(since, "since", errors);
        var to = Time(until, "until", errors);
        if (from is not null && to is not null && from >= to) errors["until"] = ["until comes after since."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The request is invalid.");
        var (items, next) = await history.ListAsync(new HistoryFilter(media, actor, action, from, to), after, size, ct);
        return TypedResults.Ok(Response(request, items, next));
    }

    private static DateTime? Time(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (text is null) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return at.UtcDateTime;
        errors[field] = [$"{field} is a time in ISO 8601, such as 2026-12-01T09:30:00Z."];
        return null;
    }

    private static HistoryListResponse Response(HttpRequest request, List<HistoryEntry> items, TimeCursor? next) =>
        new(CursorPaging.NextLink(request, next, TimeCursor.History), items.Select(HistoryEntryResponse.From).ToList());
}
