using System.Text.Json;
using MediaLibrary.Media;
using MediaLibrary.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace MediaLibrary.Api;

/// <summary>POST /api/media/bulk: move, tag, untag, edit or delete many media in one request, with a result per media.</summary>
public static class BulkEndpoints
{
    /// <summary>10,000 ids with their If-Match ETags fit in it; 100,000 do not.</summary>
    public const long MaxBodyBytes = 512 * 1024;

    private static readonly Dictionary<string, BulkAction> Actions = new(StringComparer.Ordinal)
    {
        ["move"] = BulkAction.Move, ["tag"] = BulkAction.Tag, ["untag"] = BulkAction.Untag, ["edit"] = BulkAction.Edit, ["delete"] = BulkAction.Delete,
    };

    public static void MapBulk(this RouteGroupBuilder writes) =>
        writes.MapPost("bulk", Run).WithName("BulkMedia").WithMetadata(new JsonBodyLimit(MaxBodyBytes))
            .WithSummary($"Apply one action to many media: move (folder_id), tag or untag (tags), edit (title, alt_text) or delete, "
                + $"to the ids given (at most {MediaBulk.MaxItems:N0}) or to what a list filter selects (newest first, up to limit). "
                + "Each media is checked like its single operation (if_match: id → ETag) and gets its own result: "
                + "200 changed or already so, 204 deleted or moved to the trash, 400, 404, 409 (in use; force=true deletes it), 412, 503. "
                + "Deletion goes through the same path as DELETE /api/media/{id}: to the trash, or for good with permanent=true (media in the trash too).");

    public static async Task<Results<Ok<BulkResponse>, ValidationProblem>> Run(
        BulkRequest body, HttpContext http, MediaBulk bulk, MediaQueries queries, FolderTree folders, MediaTags tags, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var action = BulkAction.Move;
        if (body.Action is null || !Actions.TryGetValue(body.Action, out action))
            errors["action"] = [$"action is one of {string.Join(", ", Actions.Keys)}."];
        var ids = ParseIds(body.Ids, errors);
        MediaFilter? filter = null;
        if ((body.Ids is null) == (body.Filter is null)) errors["ids"] = ["Give either ids or filter (with limit)."];
        else if (body.Filter is { } f)
        {
            filter = new MediaFilter(f.Search, f.ContentType, FolderOf(f.Folder, errors), f.Recursive is { } r ? (r ? "true" : "false") : null, f.Tag,
                f.Used is { } u ? (u ? "true" : "false") : null);
            filter.Validate(errors);
            if (body.Limit is not (>= 1 and <= MediaBulk.MaxItems)) errors["limit"] = [$"limit is a whole number from 1 to {MediaBulk.MaxItems:N0}; a filter needs one."];
        }
        else if (body.Limit is not null) errors["limit"] = ["limit goes with filter."];
        var ifMatch = ParseIfMatch(body.IfMatch, errors);
        if (body.Force is not null && action != BulkAction.Delete) errors["force"] = ["force goes with action delete."];
        if (body.Permanent is not null && action != BulkAction.Delete) errors["permanent"] = ["permanent goes with action delete."];
        var edit = Edit(action, body, errors);
        if (edit.Move?.FolderId is { } folderId && await folders.FindAsync(folderId, ct) is null)
            errors["folder_id"] = [$"There is no folder with id {folderId}."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The request is invalid.");

        var more = false;
        if (filter is not null)
        {
            var resolved = await filter.ResolveAsync(folders, tags, ct);
            var selected = resolved.MatchesNothing ? [] : await queries.SelectIdsAsync(filter.Query(resolved, 1, 1, MediaOrdering.CreatedAtDesc), body.Limit!.Value + 1, ct);
            more = selected.Count > body.Limit!.Value;
            ids = selected.Take(body.Limit.Value).ToList();
        }
        var user = http.User.FindFirst("sub")?.Value ?? "unknown";
        var results = await bulk.RunAsync(action, ids, edit, ifMatch, body.Force == true, body.Permanent == true, user, ct);
        var succeeded = results.Count(r => r.Status is StatusCodes.Status200OK or StatusCodes.Status204NoContent);
        return TypedResults.Ok(new BulkResponse(body.Action!, ids.Count, more, succeeded, results.Count - succeeded, results));
    }

    /// <summary>Whole numbers from 1, each once (the first time it is named), at most <see cref="MediaBulk.MaxItems"/>.</summary>
    private static List<long> ParseIds(IReadOnlyList<JsonElement>? raw, Dictionary<string, string[]> errors)
    {
        if (raw is null) return [];
        if (raw.Count > MediaBulk.MaxItems)
        {
            errors["ids"] = [$"ids holds at most {MediaBulk.MaxItems:N0} media ids, not {raw.Count:N0}; split the request."];
            return [];
        }
        if (raw.Count == 0) errors["ids"] = ["ids names at least one media."];
        return MediaIdList.Parse(raw, "ids", errors);
    }

    private static string? FolderOf(JsonElement folder, Dictionary<string, string[]> errors) => folder.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => null,
        JsonValueKind.Number when folder.TryGetInt64(out var id) && id > 0 => id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        JsonValueKind.String when folder.GetString() == "root" => "root",
        _ => Refuse(errors, "filter.folder", "filter.folder is a folder's id, or \"root\"."),
    };

    private static IReadOnlyDictionary<long, IfMatch> ParseIfMatch(IReadOnlyDictionary<string, string>? raw, Dictionary<string, string[]> errors)
    {
        var parsed = new Dictionary<long, IfMatch>();
        foreach (var (key, value) in raw ?? new Dictionary<string, string>())
        {
            if (!long.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) || id < 1
                || !EntityTagHeaderValue.TryParse(value, out var tag))
            {
                errors["if_match"] = ["if_match maps media ids to ETags, as {\"12\": \"\\\"12-3\\\"\"}."];
                break;
            }
            parsed[id] = new IfMatch(true, [tag], value);
        }
        return parsed;
    }

    /// <summary>What the action changes; the fields it needs, and only those.</summary>
    private static MediaEdit Edit(BulkAction action, BulkRequest body, Dictionary<string, string[]> errors)
    {
        if (action != BulkAction.Move && body.FolderId.ValueKind != JsonValueKind.Undefined) Refuse(errors, "folder_id", "folder_id goes with action move.");
        if (action is not (BulkAction.Tag or BulkAction.Untag) && body.Tags is not null) Refuse(errors, "tags", "tags go with action tag or untag.");
        if (action != BulkAction.Edit && (body.Title ?? body.AltText) is not null) Refuse(errors, "title", "title and alt_text go with action edit.");
        try
        {
            switch (action)
            {
                case BulkAction.Move:
                    return body.FolderId.ValueKind switch
                    {
                        JsonValueKind.Null => new MediaEdit(Move: new FolderMove(null)),
                        JsonValueKind.Number when body.FolderId.TryGetInt64(out var folderId) && folderId > 0 => new MediaEdit(Move: new FolderMove(folderId)),
                        _ => Invalid(errors, "folder_id", "move needs folder_id: a folder's id, or null for the top."),
                    };
                case BulkAction.Tag or BulkAction.Untag:
                    if (body.Tags is not { Count: > 0 }) return Invalid(errors, "tags", $"{body.Action} needs tags: 1 to {TagNames.MaxPerMedia}.");
                    var names = TagNames.CleanAll(body.Tags, "tags");
                    return new MediaEdit(Tags: action == BulkAction.Tag ? TagChange.Adding(names) : TagChange.Removing(names));
                case BulkAction.Edit:
                    if (body.Title is null && body.AltText is null) return Invalid(errors, "title", "edit needs title and/or alt_text.");
                    MediaLifecycle.ValidateMetadata(body.Title, body.AltText, allowEmptyTitle: false);
                    return new MediaEdit(body.Title, body.AltText);
                default:
                    return new MediaEdit();
            }
        }
        catch (RequestValidationException e)
        {
            foreach (var (k, v) in e.Errors) errors[k] = v;
            return new MediaEdit();
        }
    }

    private static MediaEdit Invalid(Dictionary<string, string[]> errors, string field, string message)
    {
        Refuse(errors, field, message);
        return new MediaEdit();
    }

    private static string? Refuse(Dictionary<string, string[]> errors, string field, string message)
    {
        errors[field] = [message];
        return null;
    }

}
