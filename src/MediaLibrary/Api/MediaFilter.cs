using MediaLibrary.Media;
using MediaLibrary.Web;

namespace MediaLibrary.Api;

/// <summary>
/// The list's filters as sent (search, content_type, folder, recursive, tag, used): checked, then resolved to folder and tag
/// rows. The list and the bulk operations' selection read them alike.
/// </summary>
public sealed record MediaFilter(string? Search, string? ContentType, string? Folder, string? Recursive, IReadOnlyList<string?>? Tag, string? Used = null)
{
    /// <summary>Adds what is wrong with the filters to <paramref name="errors"/>.</summary>
    public void Validate(Dictionary<string, string[]> errors)
    {
        try { TagNames.CleanAll(Tag ?? [], "tag"); }
        catch (RequestValidationException e) { foreach (var (k, v) in e.Errors) errors[k] = v; }
        if (!FolderEndpoints.TryParseFolder(Folder, out _)) errors["folder"] = ["folder is a folder's id, or root."];
        if (Recursive is not (null or "true" or "false")) errors["recursive"] = ["recursive is true or false."];
        else if (Recursive is not null && Folder is null) errors["recursive"] = ["recursive goes with folder."];
        if (Used is not (null or "true" or "false")) errors["used"] = ["used is true (media used somewhere) or false (media used nowhere)."];
        if (ContentType is not null && !IsContentTypeFilter(ContentType))
            errors["content_type"] = ["content_type is a media type such as image/png, or a family such as image/*."];
        if (Search is not null && !MediaSearch.IsValid(Search))
            errors["search"] = [$"search is at most {MediaSearch.MaxLength} characters, without control characters."];
    }

    /// <summary>
    /// The folder and tags the filters name, once <see cref="Validate"/> found nothing wrong. A missing folder is a 404
    /// problem; a tag that no media ever had makes <see cref="ResolvedFilter.MatchesNothing"/> true.
    /// </summary>
    public async Task<ResolvedFilter> ResolveAsync(FolderTree folders, MediaTags tags, CancellationToken ct)
    {
        FolderFilter? inFolder = null;
        if (Folder is not null)
        {
            FolderEndpoints.TryParseFolder(Folder, out var folderId);
            var path = folderId is { } id ? (await folders.FindAsync(id, ct))?.Path : null;
            if (folderId is not null && path is null)
                throw new ApiProblemException(StatusCodes.Status404NotFound, "Folder not found.", $"There is no folder with id {folderId}.");
            inFolder = new FolderFilter(folderId, path, Recursive == "true");
        }
        var names = TagNames.CleanAll(Tag ?? [], "tag");
        if (names.Count == 0) return new ResolvedFilter(inFolder, null, MatchesNothing: false);
        var known = await tags.FindAsync(names, ct);
        return new ResolvedFilter(inFolder, [.. known.Values.Select(t => t.Id)], MatchesNothing: known.Count < names.Count);
    }

    public MediaQuery Query(ResolvedFilter resolved, int page, int pageSize, MediaOrdering ordering, MediaCursor? cursor = null) =>
        new(page, pageSize, Search, ContentType, ordering, cursor, resolved.Folder, resolved.Tags, Used is null ? null : Used == "true");

    private static bool IsContentTypeFilter(string value)
    {
        var parts = value.Split('/');
        return parts.Length == 2 && parts[0].Length is > 0 and <= 40 && parts[1].Length is > 0 and <= 100
            && parts[0].All(IsTokenChar) && (parts[1] == "*" || parts[1].All(IsTokenChar));
        static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '+' or '.' or '_';
    }
}
