using System.Text.Json;
using MediaLibrary.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace MediaLibrary.Media;

/// <summary>
/// How a list query reads: the filter (content type, search), the index that serves a search, and where the count
/// comes from. PostgreSQL's planner picks between its trigram index and the ordering's index from statistics; SQLite
/// has none, so the choice is made here from the number of matches its FTS5 index finds.
/// </summary>
public sealed class ListPlanner(MediaDbContext db, FolderTree folders)
{
    /// <summary>Up to how many of the rarest tag's media ids are read first and handed to PostgreSQL as an array.</summary>
    private const int MaterializedTagIds = 5000;

    /// <summary>Up to how many folder ids of a subtree are read first and handed to PostgreSQL as an array.</summary>
    private const int MaterializedFolderIds = 5000;

    public async Task<ListPlan> PlanAsync(MediaQuery query, CancellationToken ct)
    {
        // A type ("image/png") or a family ("image/*", matched as the prefix "image/").
        var type = string.IsNullOrEmpty(query.ContentType) ? null : query.ContentType.ToLowerInvariant();
        var family = type is not null && type.EndsWith("/*", StringComparison.Ordinal) ? type[..^1] : null;
        var used = query.Used;
        var filtered = AsFiltered(type, family, used);
        var inFolder = query.Folder is { } folder && !(folder.Id is null && folder.Recursive); // the top, recursively, is everything
        var subtree = inFolder && query.Folder!.Recursive;
        // PostgreSQL estimates a subtree's rows from the folders' statistics as a share of the library and, for the
        // few thousand media of a deep folder, counted them by scanning the table (12 ms warm). The folder ids
        // themselves, as an array, let it read the folders' ranges of their index (1.6 ms).
        var subtreeIds = subtree && db.Database.IsNpgsql()
            ? await folders.Subtree(query.Folder!.Path!).Take(MaterializedFolderIds + 1).ToListAsync(ct)
            : null;
        if (subtreeIds is { Count: > MaterializedFolderIds }) subtreeIds = null;
        if (inFolder) filtered = InFolder(filtered, query.Folder!, subtreeIds);

        // A page far past the end skips everything (an empty page), never wraps around to page 1.
        var offset = query.Cursor is null ? (int)Math.Min((long)(query.Page - 1) * query.PageSize, int.MaxValue) : 0;
        var term = MediaSearch.Term(query.Search);
        if (query.Tags is { Count: > 0 } tags)
            return await PlanTaggedAsync(filtered, tags, term, narrowed: type is not null || query.Folder is not null || used is not null, offset, query.PageSize, ct);
        // One folder: one range of its index, counted exactly. A folder with everything below it counts up to the cap.
        if (term is null && inFolder) return subtree ? new ListPlan(filtered, offset, null, CappedCount: true)
            : new ListPlan(filtered, offset, await filtered.CountAsync(ct), CappedCount: false);
        // Used or unused: counted up to the cap, walking the ordering's index for the page (the count is on each row).
        if (term is null && used is not null) return new ListPlan(filtered, offset, null, CappedCount: true);
        if (term is null)
        {
            // Kept per content type by triggers in the same transaction as the rows: exact, and a handful of rows to read.
            IQueryable<MediaCount> counts = db.MediaCounts;
            if (family is not null) counts = counts.Where(c => c.ContentType.StartsWith(family));
            else if (type is not null) counts = counts.Where(c => c.ContentType == type);
            return new ListPlan(filtered, offset, (int)await counts.SumAsync(c => c.Count, ct), CappedCount: false);
        }

        var like = Matching(filtered, term);
        var sqliteIndexed = db.Database.IsSqlite() && MediaSearch.Indexable(term);
        if (sqliteIndexed && subtree)
        {
            // A large part of the library below a folder (a quarter or more): walk the ordering's index for the page,
            // testing each row's folder and text, and count the search index's matches, testing each one's folder;
            // either reaches its rows after a few times what it needs. A smaller subtree reads its own rows, as one folder does.
            var rows = await db.Media.MaxAsync(m => (long?)m.Id, ct) ?? 0;
            var quarter = (int)Math.Min(int.MaxValue, Math.Max(1, rows / 4));
            if (await filtered.Select(m => m.Id).Take(quarter).CountAsync(ct) >= quarter)
            {
                var walked = InFolder(AsFiltered(type, family, used), query.Folder!, walk: true);
                return new ListPlan(Matching(walked, term), offset, await FtsCountAsync(walked, term, ct), CappedCount: true);
            }
        }
        // Inside a folder the folder's rows are tested, not the search index's matches: taking a common word's matches
        // from the index and testing each one's folder would read all of them.
        if (!sqliteIndexed || inFolder) return new ListPlan(like, offset, null, CappedCount: true);

        var matches = FtsMatches(term);

        var indexed = filtered.Where(m => matches.Contains(m.Id));
        // Narrowed (a type, used or not): the index's matches one by one, each looked up and tested, until the cap;
        // SQLite would otherwise read the narrowed rows and test each against the matches.
        var count = type is null && used is null
            ? await matches.Take(MediaQueries.CountCap + 1).CountAsync(ct)
            : await FtsCountAsync(filtered, term, ct);
        var walk = count > MediaQueries.CountCap
            || WalkOrderingIndex((long)offset + query.PageSize, await db.Media.MaxAsync(m => (long?)m.Id, ct) ?? 0, count);
        return new ListPlan(walk ? like : indexed, offset, count, CappedCount: true);
    }

    /// <summary>
    /// Media with every one of the tags. Driven, like a search, from whichever is smaller: the rarest tag's media
    /// (one range of the media_tags key, then sorted), or on SQLite a search's matches, or the ordering's index walked
    /// with each row's tags tested, when the rarest tag is so common that a page fills after a few rows.
    /// </summary>
    private async Task<ListPlan> PlanTaggedAsync(IQueryable<MediaItem> filtered, IReadOnlyList<long> tags, string? term, bool narrowed,
        int offset, int pageSize, CancellationToken ct)
    {
        var rowsWanted = (long)offset + pageSize;
        var rows = await db.Media.MaxAsync(m => (long?)m.Id, ct) ?? 0;
        // One tag alone is counted exactly (a range of the key); otherwise counting stops where walking would win.
        var exact = tags.Count == 1 && !narrowed && term is null;
        var enough = (int)Math.Min(int.MaxValue - 1, Math.Sqrt((double)rowsWanted * rows) + 1);
        var (rarest, fewest) = (tags[0], int.MaxValue);
        foreach (var tag in tags.Distinct())
        {
            var links = db.MediaTags.Where(l => l.TagId == tag);
            var count = exact ? await links.CountAsync(ct) : await links.Take(enough).CountAsync(ct);
            if (count < fewest) (rarest, fewest) = (tag, count);
        }
        // A tag's media in the trash keep their links (they come back with a restore) but are not counted: read from the
        // trash's index, each looked up in the media_tags key.
        if (exact) fewest -= await db.Media.Where(m => m.TrashedAt != null && db.MediaTags.Any(l => l.TagId == rarest && l.MediaId == m.Id)).CountAsync(ct);
        // Each row's tags: on PostgreSQL its copy of the tag ids (`@> '{…}'`, which the GIN index serves too; or row by
        // row, by its position in the array, which it does not: among a small tag's 396 ids, ANDing a common tag's
        // bitmap took 4.2 ms, testing each row 0.87 ms), on SQLite a lookup in the media_tags key for each tag.
        IQueryable<MediaItem> Tagged(IQueryable<MediaItem> q, long? except, bool rowByRow = false)
        {
            var rest = tags.Distinct().Where(t => t != except).ToArray();
            if (rest.Length > 0 && db.Database.IsNpgsql())
            {
                if (!rowByRow) return q.Where(m => rest.All(t => m.TagIds.Contains(t)));
                // array_position: Npgsql turns Contains and Any into `@>`.
                foreach (var tag in rest) q = q.Where(m => Array.IndexOf(m.TagIds, tag) >= 0);
                return q;
            }
            foreach (var tag in rest)
                q = q.Where(m => db.MediaTags.Any(l => l.MediaId == m.Id && l.TagId == tag));
            return q;
        }

        var like = term is null ? filtered : Matching(filtered, term);
        if (term is not null && db.Database.IsSqlite() && MediaSearch.Indexable(term))
        {
            var matches = FtsMatches(term);
            var found = await matches.Take(MediaQueries.CountCap + 1).CountAsync(ct);
            if (found <= MediaQueries.CountCap && found < fewest)
                return new ListPlan(Tagged(filtered.Where(m => matches.Contains(m.Id)), null), offset, null, CappedCount: true);
        }
        var mediaOfRarest = db.MediaTags.Where(l => l.TagId == rarest).Select(l => l.MediaId);
        if (!WalkOrderingIndex(rowsWanted, rows, fewest))
        {
            // PostgreSQL estimates a tag's share of the library from its statistics and, for a tag on a few hundred
            // media, may still walk the whole ordering's index (on two cores with parallel workers: 80 ms for one page).
            // The ids themselves, as an array, give it the exact number to plan with: it reads those rows and sorts them.
            // A search is tested on each of those rows: offered the trigram index too, it built that index's bitmap of a
            // common word's matches to AND with the ids (a tag on 396 media with "harbour": 4.8 ms a query, 0.8 ms without).
            if (db.Database.IsNpgsql() && fewest <= MaterializedTagIds)
            {
                var ids = await mediaOfRarest.ToListAsync(ct);
                var tested = term is null ? filtered : Matching(filtered, term, rowByRow: true);
                return new ListPlan(Tagged(tested.Where(m => ids.Contains(m.Id)), rarest, rowByRow: true), offset, exact ? fewest : null, CappedCount: !exact);
            }
            var ofRarest = Tagged(like.Where(m => mediaOfRarest.Contains(m.Id)), rarest);
            if (exact || db.Database.IsNpgsql()) return new ListPlan(ofRarest, offset, exact ? fewest : null, CappedCount: !exact);
            return await ReadOnceAsync(ofRarest, filtered, offset, null, ct);
        }
        // The page by walking the ordering's index. The count (up to the cap) on PostgreSQL: from the tag ids' GIN index,
        // a search ANDed with the trigram index's bitmap, unless the planner expects the term in a tenth of the library or
        // more: building that bitmap cost more than testing the tagged rows' text until the cap (a sixth of the library
        // tagged, a fifth matching: 11.5 ms ANDed, 5.6 ms tested, 16.6 ms from the tag's links; a rare term ANDed: 2.8 ms).
        // On SQLite from the rarest tag's media, each tested for the rest, which reaches the cap sooner than the walk when
        // the filters together match few rows; or, when every tag is on a tenth of the library or more, from the search
        // index's matches, each tested for the tags (a lookup in the media_tags key instead of a media row read and its
        // text tested).
        var tenth = (int)Math.Min(int.MaxValue, Math.Max(1, rows / 10));
        var walked = Tagged(like, null);
        if (exact) return new ListPlan(walked, offset, fewest, CappedCount: false);
        if (db.Database.IsNpgsql())
        {
            var matching = term is not null && await EstimatedMatchesAsync(term, ct) >= tenth ? Matching(filtered, term, rowByRow: true) : like;
            return await WithoutPlainScansAsync(() => ReadOnceAsync(Tagged(matching, null), filtered, offset, walked, ct), ct);
        }
        if (term is not null && MediaSearch.Indexable(term) && await db.MediaTags.Where(l => l.TagId == rarest).Take(tenth).CountAsync(ct) >= tenth)
        {
            var found = await (narrowed ? FtsCountAsync(Tagged(filtered, null), term, ct) : FtsTaggedCountAsync(tags, term, ct));
            return new ListPlan(walked, offset, found, CappedCount: true);
        }
        return await ReadOnceAsync(Tagged(like.Where(m => mediaOfRarest.Contains(m.Id)), rarest), filtered, offset, walked, ct);
    }

    /// <summary>
    /// A tag's media that pass every filter, read once for both the count and the page. Their ids, up to the cap, are
    /// the count, and the page is read from them by id and sorted; counting and then reading the page read the tag's rows
    /// twice (on SQLite a tag on 4,583 media with a word on 910 of them: 5 ms to count, 3 ms to walk for the page; the
    /// page from the ids 1 ms). Past the cap, the page comes from <paramref name="otherwise"/> (the tag's rows when null).
    /// </summary>
    private async Task<ListPlan> ReadOnceAsync(IQueryable<MediaItem> ofRarest, IQueryable<MediaItem> filtered, int offset,
        IQueryable<MediaItem>? otherwise, CancellationToken ct)
    {
        var ids = await ofRarest.Select(m => m.Id).Take(MediaQueries.CountCap + 1).ToListAsync(ct);
        return ids.Count > MediaQueries.CountCap
            ? new ListPlan(otherwise ?? ofRarest, offset, ids.Count, CappedCount: true)
            : new ListPlan(filtered.Where(m => EF.Parameter(ids).Contains(m.Id)), offset, ids.Count, CappedCount: true);
    }

    /// <summary>
    /// How many of the rows there are, up to the cap. On PostgreSQL, when no index serves the filter (a search, used or
    /// not; <paramref name="inIdOrder"/>), in id order: a plain scan with a limit starts where the table's last scan
    /// stopped (synchronized scans), so how many rows it reads before the cap depends on that spot. With a third of the
    /// library's rows rewritten together (the used ones) the `used=false` count took 0.5 ms or 11 ms by turns; in id
    /// order 0.5 ms every time. A folder's filter reads its own index, where the order would only add a sort.
    /// </summary>
    public Task<int> CountCappedAsync(IQueryable<MediaItem> rows, bool inIdOrder, CancellationToken ct)
    {
        var ids = rows.Select(m => m.Id);
        if (inIdOrder && db.Database.IsNpgsql()) ids = ids.OrderBy(id => id);
        return ids.Take(MediaQueries.CountCap + 1).CountAsync(ct);
    }

    /// <summary>
    /// PostgreSQL: runs <paramref name="read"/> (a count up to the cap, or the ids up to it) through an index, never by a
    /// plain scan of the table. A tag with a common word expects thousands of matches, so the planner's cost of a plain
    /// scan that stops at the cap came within a few percent of the tag's bitmap, and which one it chose turned with each
    /// ANALYZE: 15.7 ms by a plain scan (its rows are not where the estimate assumes them), 5.1 ms by the bitmap. Plain
    /// scans are turned off for its statement, in a transaction of its own (two round trips more), unless one is open.
    /// </summary>
    private async Task<T> WithoutPlainScansAsync<T>(Func<Task<T>> read, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is not null) return await read();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlRawAsync("SET LOCAL enable_seqscan = off", ct);
        var result = await read();
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>
    /// How many live media PostgreSQL's planner expects to hold the term, from the column's statistics (a sample of its
    /// values): planned, not run, in a fraction of a millisecond.
    /// </summary>
    private async Task<double> EstimatedMatchesAsync(string term, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = connection.CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = "EXPLAIN (FORMAT JSON) SELECT 1 FROM media WHERE \"TrashedAt\" IS NULL AND \"SearchText\" LIKE @pattern ESCAPE '\\'";
            var pattern = command.CreateParameter();
            (pattern.ParameterName, pattern.Value) = ("pattern", MediaSearch.LikePattern(term));
            command.Parameters.Add(pattern);
            using var plan = JsonDocument.Parse((string)(await command.ExecuteScalarAsync(ct))!);
            return plan.RootElement[0].GetProperty("Plan").GetProperty("Plan Rows").GetDouble();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// The rows whose title, alt text or file name holds the term. <paramref name="rowByRow"/> (PostgreSQL): tested on
    /// each row the other filters select, the trigram index not offered: it serves the column in its own collation, and
    /// the text is compared in "C" (bytes; the same answer for a pattern of lower-case text between wildcards).
    /// </summary>
    private static IQueryable<MediaItem> Matching(IQueryable<MediaItem> rows, string term, bool rowByRow = false) => rowByRow
        ? rows.Where(m => EF.Functions.Like(EF.Functions.Collate(m.SearchText, "C"), MediaSearch.LikePattern(term), "\\"))
        : rows.Where(m => EF.Functions.Like(m.SearchText, MediaSearch.LikePattern(term), "\\"));

    /// <summary>SQLite's trigram index's matches for a term of three characters or more.</summary>
    private IQueryable<long> FtsMatches(string term) =>
        db.Database.SqlQuery<long>($"SELECT rowid AS \"Value\" FROM media_search WHERE media_search MATCH {MediaSearch.FtsPhrase(term)}");

    /// <summary>
    /// The media in the library (not in the trash: the ordering indexes hold only those) of the type or family asked
    /// for, used somewhere or nowhere when asked.
    /// </summary>
    private IQueryable<MediaItem> AsFiltered(string? type, string? family, bool? used)
    {
        IQueryable<MediaItem> rows = db.Media.AsNoTracking().Where(m => m.TrashedAt == null);
        if (used is { } inUse) rows = inUse ? rows.Where(m => m.ReferenceCount > 0) : rows.Where(m => m.ReferenceCount == 0);
        if (family is not null) return rows.Where(m => m.ContentType.StartsWith(family));
        return type is null ? rows : rows.Where(m => m.ContentType == type);
    }

    /// <summary>
    /// The media directly in the folder (or at the top), or anywhere below it when recursive: below the folders whose
    /// ids were read when given (<paramref name="subtreeIds"/>), else below those the query finds. <paramref name="walk"/>:
    /// the folder is tested on each row (its index not offered to SQLite), for a walk along the ordering's index.
    /// </summary>
    private IQueryable<MediaItem> InFolder(IQueryable<MediaItem> rows, FolderFilter folder, List<long?>? subtreeIds = null, bool walk = false)
    {
        if (folder.Id is null) return rows.Where(m => m.FolderId == null);
        if (!folder.Recursive) return rows.Where(m => m.FolderId == folder.Id);
        if (subtreeIds is not null) return rows.Where(m => subtreeIds.Contains(m.FolderId));
        var subtree = folders.Subtree(folder.Path!);
        return walk ? rows.Where(m => subtree.Contains(m.FolderId + 0)) : rows.Where(m => subtree.Contains(m.FolderId));
    }

    /// <summary>
    /// How many of SQLite's trigram index's matches are among <paramref name="rows"/>, up to the cap: the index's
    /// matches one by one, each looked up by its id and tested, until the cap is reached.
    /// </summary>
    private Task<int> FtsCountAsync(IQueryable<MediaItem> rows, string term, CancellationToken ct) =>
        FtsMatches(term).Where(id => rows.Any(m => m.Id == id)).Take(MediaQueries.CountCap + 1).CountAsync(ct);

    /// <summary>
    /// How many of SQLite's trigram index's matches carry every one of the tags, up to the cap: each match's tags looked
    /// up in the media_tags key by its id, without reading its media row (the index's rows are the media rows).
    /// </summary>
    private Task<int> FtsTaggedCountAsync(IReadOnlyList<long> tags, string term, CancellationToken ct)
    {
        var matches = FtsMatches(term);
        foreach (var tag in tags.Distinct())
            matches = matches.Where(id => db.MediaTags.Any(l => l.TagId == tag && l.MediaId == id));
        return matches.Take(MediaQueries.CountCap + 1).CountAsync(ct);
    }

    /// <summary>
    /// Walking the ordering's index and testing each row reads about (skipped + page) × rows / matches rows; taking the
    /// matches from the search index and sorting them reads all of them. Past the count cap the walk always wins.
    /// </summary>
    public static bool WalkOrderingIndex(long rowsWanted, long rows, int matches) =>
        (double)rowsWanted * rows / Math.Max(matches, 1) < matches;
}
