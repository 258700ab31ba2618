using MediaLibrary.Auth;
using MediaLibrary.Delivery;
using MediaLibrary.Media;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MediaLibrary.Api;

/// <summary>
/// The trash: what DELETE /api/media/{id} put there, listed for editors (it is in no other list), restored, or purged:
/// by the worker after MEDIALIB_TRASH_DAYS, one by one with DELETE /api/media/{id}?permanent=true, or all at once by an admin.
/// </summary>
public static class TrashEndpoints
{
    public static void MapTrash(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/media/{id:long}/restore", Restore).WithTags("Trash").RequireAuthorization(Policies.Edit).WithName("RestoreMedia")
            .WithSummary("Bring media back from the trash: the same id, version and file URL, in its folder (at the top when that folder was "
                + "deleted meanwhile). 404 when there is no such media (or it was purged), 409 when it is not in the trash. If-Match as for PATCH.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        var trash = app.MapGroup("/api/trash").WithTags("Trash");
        trash.MapGet("", List).RequireAuthorization(Policies.Edit).WithName("ListTrash")
            .WithSummary("The media in the trash, most recently deleted first, with trashed_at and purge_at (when the worker purges it); "
                + "count is exact, next is a link with a cursor. Their file URLs answer 404 until they are restored.");
        trash.MapDelete("", Empty).RequireAuthorization(Policies.Admin).WithName("EmptyTrash")
            .WithSummary("Empty the trash (admins): every media in it is purged like a permanent delete, for a few seconds here and the rest by "
                + "the cleanup worker; the answer says how many were purged and how many are left for the worker.");
    }

    public static async Task<Results<Ok<MediaResponse>, ProblemHttpResult>> Restore(
        long id, HttpContext http, MediaTrash trash, MediaUrls urls, CancellationToken ct)
    {
        var restored = await trash.RestoreAsync(id, MediaEndpoints.IfMatchOf(http.Request), ct);
        if (restored is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Media not found.",
                detail: $"There is no media with id {id}, in the library or in the trash (a purged media is gone for good).");
        http.Response.Headers.ETag = restored.Media.ETag;
        return TypedResults.Ok(urls.Response(http.Request, restored.Media, restored.Tags));
    }

    public static async Task<Results<Ok<TrashListResponse>, ValidationProblem>> List(
        HttpRequest request, MediaTrash trash, MediaTags tags, MediaUrls urls, CancellationToken ct,
        [FromQuery] string? cursor = null, [FromQuery(Name = "page_size")] string? pageSize = null)
    {
        var errors = new Dictionary<string, string[]>();
        var (after, size) = CursorPaging.Read(cursor, TimeCursor.Trash, pageSize, errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The request is invalid.");
        var (count, items, next) = await trash.ListAsync(after, size, ct);
        var pageTags = await tags.OfAsync(items.Select(m => m.Id).ToList(), ct);
        return TypedResults.Ok(new TrashListResponse(count, CursorPaging.NextLink(request, next, TimeCursor.Trash), urls.Responses(request, items, pageTags)));
    }

    public static async Task<Ok<EmptyTrashResponse>> Empty(HttpContext http, MediaTrash trash, CancellationToken ct)
    {
        var (purged, remaining) = await trash.EmptyAsync(http.User.FindFirst("sub")?.Value ?? "unknown", ct);
        return TypedResults.Ok(new EmptyTrashResponse(purged, remaining));
    }
}
