using MediaLibrary.Auth;
using MediaLibrary.Media;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MediaLibrary.Api;

/// <summary>/api/folders: the folder tree. A folder is organisation only; no change to it touches a stored object or a URL.</summary>
public static class FolderEndpoints
{
    public static RouteGroupBuilder MapFolders(this IEndpointRouteBuilder app, bool requireAuthForReads)
    {
        var api = app.MapGroup("/api/folders").WithTags("Folders");
        var reads = api.MapGroup("");
        if (requireAuthForReads) reads.RequireAuthorization(Policies.Read);
        reads.MapGet("", List).WithName("ListFolders")
            .WithSummary("The folders directly in ?parent={id} (or at the top without it, or with parent=root), by name.");
        reads.MapGet("{id:long}", Get).WithName("GetFolder")
            .WithSummary("One folder, with its path from the top (a breadcrumb).");

        var writes = api.MapGroup("").RequireAuthorization(Policies.Edit);
        writes.MapPost("", Create).WithName("CreateFolder")
            .WithSummary("Create a folder (name, parent_id). Names are unique among siblings whatever their case; folders nest 32 deep.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        writes.MapPatch("{id:long}", Rename).WithName("RenameFolder")
            .WithSummary("Rename a folder. No stored object or media URL changes.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        writes.MapPost("{id:long}/move", Move).WithName("MoveFolder")
            .WithSummary("Move a folder and everything in it (parent_id; null: to the top). A move into itself is 409.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        writes.MapDelete("{id:long}", Delete).WithName("DeleteFolder")
            .WithSummary("Delete an empty folder (one with folders or media in it is 409), or with contents=true everything in it: "
                + "each media as DELETE /api/media/{id} deletes it (to the trash, or for good with permanent=true), then the folders. "
                + "Media in use below it refuse the deletion (409, naming them) unless force=true. Media in the trash do not keep a folder: "
                + "they are put at the top, where a restore brings them back.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    public static async Task<Results<Ok<FolderListResponse>, ProblemHttpResult, ValidationProblem>> List(
        FolderTree folders, CancellationToken ct, [FromQuery] string? parent = null)
    {
        if (!TryParseFolder(parent, out var parentId))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["parent"] = ["parent is a folder's id, or root."] },
                title: "The request is invalid.");
        var children = await folders.ChildrenAsync(parentId, ct);
        return children is null ? NotFound(parentId!.Value) : TypedResults.Ok(new FolderListResponse(parentId, children.Select(f => FolderResponse.From(f)).ToList()));
    }

    public static async Task<Results<Ok<FolderResponse>, ProblemHttpResult>> Get(long id, FolderTree folders, CancellationToken ct)
    {
        var folder = await folders.FindAsync(id, ct);
        return folder is null ? NotFound(id) : TypedResults.Ok(await WithPathAsync(folders, folder, ct));
    }

    public static async Task<Created<FolderResponse>> Create(CreateFolderRequest body, FolderTree folders, CancellationToken ct)
    {
        var folder = await folders.CreateAsync(body.Name, body.ParentId, ct);
        return TypedResults.Created($"/api/folders/{folder.Id}", await WithPathAsync(folders, folder, ct));
    }

    public static async Task<Results<Ok<FolderResponse>, ProblemHttpResult>> Rename(long id, RenameFolderRequest body, FolderTree folders, CancellationToken ct)
    {
        var folder = await folders.RenameAsync(id, body.Name, ct);
        return folder is null ? NotFound(id) : TypedResults.Ok(await WithPathAsync(folders, folder, ct));
    }

    public static async Task<Results<Ok<FolderResponse>, ProblemHttpResult>> Move(long id, MoveFolderRequest body, FolderTree folders, CancellationToken ct)
    {
        var folder = await folders.MoveAsync(id, body.ParentId, ct);
        return folder is null ? NotFound(id) : TypedResults.Ok(await WithPathAsync(folders, folder, ct));
    }

    /// <summary>
    /// With contents=true, every media anywhere below goes through the media's own delete (to the trash, or for good: its
    /// file leaves storage by the cleanup queue), then the folders. Interrupted, it leaves whole media and whole folders: run it again.
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        long id, FolderTree folders, MediaLifecycle media, CancellationToken ct, [FromQuery] bool contents = false, [FromQuery] bool force = false,
        [FromQuery] bool permanent = false)
    {
        if (contents)
        {
            var folder = await folders.FindAsync(id, ct);
            if (folder is null) return NotFound(id);
            // Media in use below it refuse the whole deletion up front (each deletion checks again under its lock).
            if (!force && await folders.UsedMediaBelowAsync(folder, ct) is { Count: > 0 } used)
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The folder holds media in use.",
                    detail: $"{used.Count}{(used.Count == MediaReferences.ShownInConflict ? " or more" : "")} media in folder {id} or below are used "
                        + "somewhere; remove their references first, or delete it with force=true.",
                    extensions: new Dictionary<string, object?> { ["media_ids"] = used });
            for (var batch = await folders.MediaBelowAsync(folder, 100, ct); batch.Count > 0; batch = await folders.MediaBelowAsync(folder, 100, ct))
                foreach (var mediaId in batch)
                    await media.DeleteAsync(mediaId, IfMatch.None, force, permanent, ct);
        }
        return await folders.DeleteAsync(id, withFolders: contents, ct) ? TypedResults.NoContent() : NotFound(id);
    }

    /// <summary>A folder named in a query: absent or "root" is the top (null); otherwise a positive id.</summary>
    public static bool TryParseFolder(string? value, out long? id)
    {
        id = null;
        if (value is null or "root") return true;
        if (!long.TryParse(value, out var parsed) || parsed < 1) return false;
        id = parsed;
        return true;
    }

    private static async Task<FolderResponse> WithPathAsync(FolderTree folders, Folder folder, CancellationToken ct) =>
        FolderResponse.From(folder, (await folders.AncestorsAsync(folder, ct)).Select(a => new FolderCrumb(a.Id, a.Name)).ToList());

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Folder not found.", detail: $"There is no folder with id {id}.");
}
