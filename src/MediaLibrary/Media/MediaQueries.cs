using MediaLibrary.Data;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Media;

/// <summary>
/// The media queries: one item, one version's file, and the list. Pages after or before a cursor seek in the
/// ordering's index (keyset), so every page costs the same however deep it is; a page by number skips through ids in
/// that index only. Which index serves a search is <see cref="ListPlanner"/>'s choice.
/// </summary>
public sealed class MediaQueries(MediaDbContext db, ListPlanner planner, FileLookups lookups)
{
    /// <summary>The media, unless there is none or it is in the trash.</summary>
    public Task<MediaItem?> FindAsync(long id, CancellationToken ct) =>
        db.Media.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id && m.TrashedAt == null, ct);

    /// <summary>Whether there is such a media, in the library or in the trash.</summary>
    public Task<bool> ExistsAsync(long id, CancellationToken ct) => db.Media.AnyAsync(m => m.Id == id, ct);

    /// <summary>Whether the media is in the trash (what a 404 for it then says).</summary>
    public Task<bool> IsTrashedAsync(long id, CancellationToken ct) => db.Media.AnyAsync(m => m.Id == id && m.TrashedAt != null, ct);

    /// <summary>Where one version's original is, or null when the media is not at that version (remembered briefly).</summary>
    public async Task<FileLookup?> FindFileAsync(long id, int version, CancellationToken ct)
    {
        if (lookups.TryGet(id, version, out var known)) return known;
        var row = await FindAsync(id, ct);
        if (row is null || row.Version != version) return null;
        var lookup = new FileLookup(row.Id, row.Version, row.StorageKey, row.StorageProvider, row.ContentType, row.FileName, row.Sha256);
        lookups.Remember(lookup);
        return lookup;
    }

    /// <summary>Forgets a lookup whose object turned out missing, so that the next request looks again.</summary>
    public void ForgetFile(long id, int version) => lookups.Forget(id, version);

    public async Task<MediaPage> ListAsync(MediaQuery query, CancellationToken ct)
    {
        var plan = await planner.PlanAsync(query, ct);
        var page = query.Cursor is { } cursor
            ? await SeekPageAsync(plan.Rows, cursor, query.PageSize, ct)
            : await NumberedPageAsync(plan.Rows, query.Ordering, plan.Offset, query.PageSize, ct);
        // A search (or a folder with everything below it) counts only up to a cap: past it, counting would read every
        // row it selects. When the first page holds them all, it is the count.
        var count = plan.Count ?? (query.Cursor is null && plan.Offset == 0 && page.Next is null
            ? page.Items.Count
            : await planner.CountCappedAsync(plan.Rows, inIdOrder: query.Folder is null, ct));
        return plan.CappedCount && count > CountCap ? page with { Count = CountCap, CountExact = false } : page with { Count = count };
    }

    /// <summary>The ids of the first <paramref name="limit"/> media the query's filters select, in its ordering.</summary>
    public async Task<List<long>> SelectIdsAsync(MediaQuery query, int limit, CancellationToken ct)
    {
        var plan = await planner.PlanAsync(query with { Page = 1, PageSize = limit, Cursor = null }, ct);
        return await Order(plan.Rows, query.Ordering, false).Take(limit).Select(m => m.Id).ToListAsync(ct);
    }

    /// <summary>How far a search counts its matches; beyond it the list says "at least this many".</summary>
    public const int CountCap = 1000;

    private static async Task<MediaPage> SeekPageAsync(IQueryable<MediaItem> filtered, MediaCursor cursor, int size, CancellationToken ct)
    {
        var items = await Order(Beyond(filtered, cursor), cursor.Ordering, cursor.Before).Take(size + 1).ToListAsync(ct);
        var more = items.Count > size;
        if (more) items.RemoveAt(size);
        if (cursor.Before) items.Reverse();
        var (ordering, any) = (cursor.Ordering, items.Count > 0);
        // A page reached from its neighbour always has that neighbour on its other side.
        var next = cursor.Before ? (any ? MediaCursor.Following(items[^1], ordering) : null) : more ? MediaCursor.Following(items[^1], ordering) : null;
        var previous = cursor.Before ? (more ? MediaCursor.Preceding(items[0], ordering) : null) : any ? MediaCursor.Preceding(items[0], ordering) : null;
        return new(0, items, next, previous);
    }

    private async Task<MediaPage> NumberedPageAsync(IQueryable<MediaItem> filtered, MediaOrdering ordering, int offset, int size, CancellationToken ct)
    {
        // Skip through ids in the ordering's index, then read only the page's rows (and one more: is there a next?).
        var ids = Order(filtered, ordering, false).Skip(offset).Take(size + 1).Select(m => m.Id);
        var items = await Order(db.Media.AsNoTracking().Where(m => ids.Contains(m.Id)), ordering, false).ToListAsync(ct);
        var more = items.Count > size;
        if (more) items.RemoveAt(size);
        var next = more ? MediaCursor.Following(items[^1], ordering) : null;
        var previous = items.Count > 0 && offset > 0 ? MediaCursor.Preceding(items[0], ordering) : null;
        return new(0, items, next, previous);
    }

    private static bool Ascending(MediaOrdering o) => o is MediaOrdering.CreatedAt or MediaOrdering.Title or MediaOrdering.Size;

    /// <summary>The ordering, or its reverse when reading backwards from a cursor; the id breaks ties either way.</summary>
    private static IQueryable<MediaItem> Order(IQueryable<MediaItem> q, MediaOrdering ordering, bool backwards)
    {
        var up = Ascending(ordering) != backwards;
        return ordering switch
        {
            MediaOrdering.CreatedAt or MediaOrdering.CreatedAtDesc => up
                ? q.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id) : q.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id),
            MediaOrdering.Title or MediaOrdering.TitleDesc => up
                ? q.OrderBy(m => m.Title).ThenBy(m => m.Id) : q.OrderByDescending(m => m.Title).ThenByDescending(m => m.Id),
            _ => up ? q.OrderBy(m => m.Size).ThenBy(m => m.Id) : q.OrderByDescending(m => m.Size).ThenByDescending(m => m.Id),
        };
    }

    /// <summary>
    /// The rows past the cursor in its direction of travel. The first condition is a range the ordering's index
    /// serves; the second excludes the cursor's own key up to its id.
    /// </summary>
    private static IQueryable<MediaItem> Beyond(IQueryable<MediaItem> q, MediaCursor c)
    {
        var up = Ascending(c.Ordering) != c.Before;
        var id = c.Id;
        switch (c.Ordering)
        {
            case MediaOrdering.CreatedAt or MediaOrdering.CreatedAtDesc:
                var t = c.CreatedAt;
                return up ? q.Where(m => m.CreatedAt >= t && (m.CreatedAt > t || m.Id > id))
                          : q.Where(m => m.CreatedAt <= t && (m.CreatedAt < t || m.Id < id));
            case MediaOrdering.Title or MediaOrdering.TitleDesc:
                var title = c.Key;
                return up ? q.Where(m => string.Compare(m.Title, title) >= 0 && (string.Compare(m.Title, title) > 0 || m.Id > id))
                          : q.Where(m => string.Compare(m.Title, title) <= 0 && (string.Compare(m.Title, title) < 0 || m.Id < id));
            default:
                var size = c.Size;
                return up ? q.Where(m => m.Size >= size && (m.Size > size || m.Id > id))
                          : q.Where(m => m.Size <= size && (m.Size < size || m.Id < id));
        }
    }
}
