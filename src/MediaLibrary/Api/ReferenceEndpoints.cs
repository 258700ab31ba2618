using System.Text.Json;
using MediaLibrary.Auth;
using MediaLibrary.Media;
using MediaLibrary.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MediaLibrary.Api;

/// <summary>
/// Where media are used. A website (or its backend) registers each place that shows a media under a key it chooses,
/// one at a time on the media (/api/media/{id}/references) or a place's whole set at once (/api/references), so that
/// nobody deletes an image a live page still shows: DELETE /api/media/{id} refuses a media in use unless forced.
/// </summary>
public static class ReferenceEndpoints
{
    public const long MaxSyncBodyBytes = 256 * 1024;

    public static void MapReferences(this IEndpointRouteBuilder app, bool requireAuthForReads)
    {
        var onMedia = app.MapGroup("/api/media/{id:long}/references").WithTags("References");
        var reads = onMedia.MapGroup("");
        if (requireAuthForReads) reads.RequireAuthorization(Policies.Read);
        reads.MapGet("", List).WithName("ListMediaReferences").WithSummary("The places that use the media, by key.");
        var writes = onMedia.MapGroup("").RequireAuthorization(Policies.References);
        writes.MapPut("", Put).WithName("PutMediaReference")
            .WithSummary($"Record that a place uses the media: key (the website's name for it, at most {MediaReferences.MaxKeyLength} characters), "
                + "label and url. The same key again updates its label and url: 201 when added, 200 when it was there.");
        writes.MapDelete("", Remove).WithName("RemoveMediaReference")
            .WithSummary("The place named by key=… no longer uses the media. 404 when it had no such reference.");

        var referrers = app.MapGroup("/api/references").WithTags("References");
        var referrerReads = referrers.MapGroup("");
        if (requireAuthForReads) referrerReads.RequireAuthorization(Policies.Read);
        referrerReads.MapGet("", MediaOf).WithName("GetReferrer").WithSummary("The media that the place named by key=… uses.");
        referrers.MapPut("", Sync).RequireAuthorization(Policies.References).WithName("SyncReferences").WithMetadata(new JsonBodyLimit(MaxSyncBodyBytes))
            .WithSummary($"Set every media that one place uses (key, label, url, media_ids: at most {MediaReferences.MaxSyncMedia:N0}): references are "
                + "added for new ones and removed from media no longer listed, all or nothing (a missing media id is 422).")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    public static async Task<Results<Ok<ReferenceListResponse>, ProblemHttpResult>> List(long id, MediaReferences references, CancellationToken ct)
    {
        var list = await references.OfAsync(id, ct);
        return list is null ? NotFound(id) : TypedResults.Ok(new ReferenceListResponse(list.Count, list.Select(ReferenceResponse.From).ToList()));
    }

    public static async Task<Results<Created<ReferenceResponse>, Ok<ReferenceResponse>, ProblemHttpResult>> Put(
        long id, ReferenceRequest body, MediaReferences references, CancellationToken ct)
    {
        var input = ReferenceInput.From(body.Key, body.Label, body.Url);
        if (await references.PutAsync(id, input, ct) is not { } put) return NotFound(id);
        var response = ReferenceResponse.From(put.Reference);
        return put.Created
            ? TypedResults.Created($"/api/media/{id}/references?key={Uri.EscapeDataString(input.Key)}", response)
            : TypedResults.Ok(response);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Remove(long id, MediaReferences references, CancellationToken ct, [FromQuery] string? key = null)
    {
        var input = ReferenceInput.From(key, null, null);
        return await references.RemoveAsync(id, input.Key, ct) switch
        {
            null => NotFound(id),
            false => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Reference not found.",
                detail: $"Media {id} has no reference with key '{input.Key}'."),
            true => TypedResults.NoContent(),
        };
    }

    public static async Task<Ok<ReferrerResponse>> MediaOf(MediaReferences references, CancellationToken ct, [FromQuery] string? key = null)
    {
        var input = ReferenceInput.From(key, null, null);
        return TypedResults.Ok(new ReferrerResponse(input.Key, await references.MediaOfAsync(input.Key, ct)));
    }

    public static async Task<Ok<ReferrerResponse>> Sync(SyncReferencesRequest body, MediaReferences references, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        ReferenceInput? input = null;
        try { input = ReferenceInput.From(body.Key, body.Label, body.Url); }
        catch (RequestValidationException e) { foreach (var (k, v) in e.Errors) errors[k] = v; }
        var ids = ParseIds(body.MediaIds, errors);
        if (errors.Count > 0) throw new RequestValidationException(errors);
        var sync = await references.SyncAsync(input!, ids, ct);
        return TypedResults.Ok(new ReferrerResponse(sync.Key, sync.MediaIds, sync.Added, sync.Removed, sync.Updated));
    }

    /// <summary>Whole numbers from 1 (each counted once), at most <see cref="MediaReferences.MaxSyncMedia"/>; an empty list empties the set.</summary>
    private static List<long> ParseIds(IReadOnlyList<JsonElement>? raw, Dictionary<string, string[]> errors)
    {
        if (raw is null)
        {
            errors["media_ids"] = ["media_ids lists every media the place uses ([] when it uses none)."];
            return [];
        }
        if (raw.Count > MediaReferences.MaxSyncMedia)
        {
            errors["media_ids"] = [$"One place uses at most {MediaReferences.MaxSyncMedia:N0} media in one sync, not {raw.Count:N0}."];
            return [];
        }
        return MediaIdList.Parse(raw, "media_ids", errors);
    }

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Media not found.", detail: $"There is no media with id {id}.");
}
