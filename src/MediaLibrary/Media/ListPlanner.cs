using MediaLibrary.Data;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Media;

/// <summary>
/// How a list query reads: the filter (content type, search), the index that serves a search, and where the count
/// comes from. PostgreSQL's planner picks between its trigram index and the ordering's index from statistics; SQLite
/// has none, so the choice is made here from the number of matches its FTS5 index finds.
/// </summary>
public sealed class ListPlanner(MediaDbContext db, FolderTree folders)
{
    public async Task<ListPlan> PlanAsync(MediaQuery query, CancellationToken ct)
    {
        // A type ("image/png") or a family ("image/*", matched as the prefix "image/").
        var type = string.IsNullOrEmpty(query.ContentType) ? null : query.ContentType.ToLowerInvariant();
        var family = type is not null && type.EndsWith("/*", StringComparison.Ordinal) ? type[..^1] : null;
        IQueryable<MediaItem> filtered = db.Media.AsNoTracking();
        if (family is not null) filtered = filtered.Where(m => m.ContentType.StartsWith(family));
        else if (type is not null) filtered = filtered.Where(m => m.ContentType == type);
        var inFolder = query.Folder is { } folder && !(folder.Id is null && folder.Recursive); // the top, recursively, is everything
        if (inFolder) filtered = InFolder(filtered, query.Folder!);
        var subtree = inFolder && query.Folder!.Recursive;

        // A page far past the end skips everything (an empty page), never wraps around to page 1.
        var offset = query.Cursor is null ? (int)Math.Min((long)(query.Page - 1) * query.PageSize, int.MaxValue) : 0;
        var term = MediaSearch.Term(query.Search);
        // One folder: one range of its index, counted exactly. A folder with everything below it counts up to the cap.
        if (term is null && inFolder) return subtree ? new ListPlan(filtered, offset, null, CappedCount: true)
            : new ListPlan(filtered, offset, await filtered.CountAsync(ct), CappedCount: false);
        if (term is null)
        {
            // Kept per content type by triggers in the same transaction as the rows: exact, and a handful of rows to read.
            IQueryable<MediaCount> counts = db.MediaCounts;
            if (family is not null) counts = counts.Where(c => c.ContentType.StartsWith(family));
            else if (type is not null) counts = counts.Where(c => c.ContentType == type);
            return new ListPlan(filtered, offset, (int)await counts.SumAsync(c => c.Count, ct), CappedCount: false);
        }

        var like = filtered.Where(m => EF.Functions.Like(m.SearchText, MediaSearch.LikePattern(term), "\\"));
        // Inside a folder the folder's rows are tested, not the search index's matches: taking a common word's matches
        // from the index and testing each one's folder would read all of them.
        if (!db.Database.IsSqlite() || !MediaSearch.Indexable(term) || inFolder) return new ListPlan(like, offset, null, CappedCount: true);

        var phrase = MediaSearch.FtsPhrase(term);
        var matches = db.Database.SqlQuery<long>($"SELECT rowid AS \"Value\" FROM media_search WHERE media_search MATCH {phrase}");
        var indexed = filtered.Where(m => matches.Contains(m.Id));
        var count = await (type is null ? matches : indexed.Select(m => m.Id)).Take(MediaQueries.CountCap + 1).CountAsync(ct);
        var walk = count > MediaQueries.CountCap
            || WalkOrderingIndex((long)offset + query.PageSize, await db.Media.MaxAsync(m => (long?)m.Id, ct) ?? 0, count);
        return new ListPlan(walk ? like : indexed, offset, count, CappedCount: true);
    }

    /// <summary>The media directly in the folder (or at the top), or anywhere below it when recursive.</summary>
    private IQueryable<MediaItem> InFolder(IQueryable<MediaItem> rows, FolderFilter folder)
    {
        if (folder.Id is null) return rows.Where(m => m.FolderId == null);
        if (!folder.Recursive) return rows.Where(m => m.FolderId == folder.Id);
        var subtree = folders.Subtree(folder.Path!);
        return rows.Where(m => subtree.Contains(m.FolderId));
    }

    /// <summary>
    /// Walking the ordering's index and testing each row reads about (skipped + page) × rows / matches rows; taking the
    /// matches from the search index and sorting them reads all of them. Past the count cap the walk always wins.
    /// </summary>
    public static bool WalkOrderingIndex(long rowsWanted, long rows, int matches) =>
        (double)rowsWanted * rows / Math.Max(matches, 1) < matches;
}
