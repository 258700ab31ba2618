using MediaLibrary.Auth;
using MediaLibrary.Data;
using MediaLibrary.Delivery;
using MediaLibrary.Imaging;
using MediaLibrary.Media;
using MediaLibrary.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

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
        trash.MapGet("/{id:long}/preview", Preview).RequireAuthorization(Policies.Edit).WithName("PreviewTrashedMedia")
            .WithSummary("A small rendering of an image in the trash (the smallest of MEDIALIB_IMAGE_WIDTHS, in the best format the "
                + "Accept header takes), for editors only and never cached (Cache-Control: private, no-store): its file URLs answer 404 "
                + "while it is in the trash. 404 when it is not in the trash or is not an image that is rendered.")
            .Produces(StatusCodes.Status200OK, contentType: "image/webp", additionalContentTypes: ["image/avif", "image/jpeg", "image/png"])
            .ProducesProblem(StatusCodes.Status404NotFound);
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

    public static async Task<IResult> Preview(long id, HttpContext http, MediaDbContext db, DerivativeRenderer renderer, StorageRegistry storage,
        IOptions<ImagingOptions> imaging, CancellationToken ct)
    {
        IResult None(string detail) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No preview.", detail: detail);
        var m = await db.Media.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id && x.TrashedAt != null, ct);
        if (m is null) return None($"There is no media with id {id} in the trash.");
        if (!ImageProcessor.CanRender(m.ContentType)) return None($"Media {id} is {m.ContentType}; only images that are rendered have a preview.");
        var options = imaging.Value;
        var width = options.WidthList.Count > 0 ? options.WidthList.Min() : 320;
        if (!ImageTransform.TryParse($"w_{width},f_auto", options.MaxDimension, out var transform, out _, out var error))
            throw new InvalidOperationException(error);
        http.Response.Headers.CacheControl = "private, no-store";
        http.Response.Headers.Vary = "Accept";
        var resolved = transform!.Resolve(http.Request.Headers.Accept, m.HasAlpha ?? false);
        for (var attempt = 1; ; attempt++)
        {
            Derivative? row;
            try
            {
                // Rendered and kept like any derivative (tracked as the media's, so a purge deletes it with the rest).
                row = await renderer.GetAsync(m, resolved, ct);
            }
            catch (BlobNotFoundException)
            {
                return None($"Media {id}'s file is gone (purged meanwhile).");
            }
            if (row is null || storage.Find(row.StorageProvider) is not { } store)
                return None($"Media {id}'s file could not be rendered.");
            var (found, content) = await FileDelivery.OpenAsync(store, row.StorageKey, accelPath: null, ct);
            if (found) return TypedResults.Stream(content!, row.ContentType);
            if (attempt > 1) return None($"Media {id}'s file is gone (purged meanwhile).");
            // The rendering's object went missing behind our back: forget its row and render it again, as delivery does.
            await renderer.ForgetAsync(row, ct);
        }
    }

    public static async Task<Ok<EmptyTrashResponse>> Empty(HttpContext http, MediaTrash trash, CancellationToken ct)
    {
        var (purged, remaining) = await trash.EmptyAsync(http.User.FindFirst("sub")?.Value ?? "unknown", ct);
        return TypedResults.Ok(new EmptyTrashResponse(purged, remaining));
    }
}
