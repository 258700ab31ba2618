using System.Buffers.Text;
using System.Globalization;
using System.Text;
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
    public Task<MediaItem?> FindAsync(long id, CancellationToken ct) =>
        db.Media.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct);

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
        // A search counts its matches only up to a cap: past it, counting would read every match. When the first
        // page holds them all, it is the count.
        var count = plan.Count ?? (query.Cursor is null && plan.Offset == 0 && page.Next is null
            ? page.Items.Count
            : await plan.Rows.Select(m => m.Id).Take(CountCap + 1).CountAsync(ct));
        return plan.IsSearch && count > CountCap ? page with { Count = CountCap, CountExact = false } : page with { Count = count };
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

public sealed record MediaPage(int Count, List<MediaItem> Items, MediaCursor? Next, MediaCursor? Previous)
{
    /// <summary>False when a search found more than <see cref="MediaQueries.CountCap"/> and stopped counting.</summary>
    public bool CountExact { get; init; } = true;
}

/// <summary>How many media there are of one content type. Triggers keep it in step with every insert, delete and type change.</summary>
public sealed class MediaCount
{
    public required string ContentType { get; set; }
    public long Count { get; set; }
}

/// <summary>
/// Where a page starts: after (a next link) or before (a previous link) the row with this ordering key and id.
/// Opaque to clients; it is only ever read back from a link this service wrote.
/// </summary>
public sealed record MediaCursor(MediaOrdering Ordering, bool Before, long Id, string Key)
{
    private const string Version = "1";

    public static MediaCursor Following(MediaItem m, MediaOrdering ordering) => new(ordering, false, m.Id, KeyOf(m, ordering));

    public static MediaCursor Preceding(MediaItem m, MediaOrdering ordering) => new(ordering, true, m.Id, KeyOf(m, ordering));

    public DateTime CreatedAt => new(long.Parse(Key, CultureInfo.InvariantCulture), DateTimeKind.Utc);

    public long Size => long.Parse(Key, CultureInfo.InvariantCulture);

    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join('|', Version,
        ((int)Ordering).ToString(CultureInfo.InvariantCulture), Before ? "b" : "a", Id.ToString(CultureInfo.InvariantCulture), Key)));

    /// <summary>Null when the text is not a cursor this service wrote (tampered, truncated, another version).</summary>
    public static MediaCursor? Decode(string text)
    {
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split('|', 5);
        }
        catch (FormatException)
        {
            return null;
        }
        if (parts.Length != 5 || parts[0] != Version || parts[2] is not ("a" or "b")
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var o) || !Enum.IsDefined((MediaOrdering)o)
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return null;
        var ordering = (MediaOrdering)o;
        var key = parts[4];
        var valid = ordering switch
        {
            MediaOrdering.CreatedAt or MediaOrdering.CreatedAtDesc =>
                long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTime.MaxValue.Ticks,
            MediaOrdering.Size or MediaOrdering.SizeDesc => long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out _),
            _ => key.Length <= MediaRules.MaxTitleLength,
        };
        return valid ? new(ordering, parts[2] == "b", id, key) : null;
    }

    private static string KeyOf(MediaItem m, MediaOrdering ordering) => ordering switch
    {
        MediaOrdering.CreatedAt or MediaOrdering.CreatedAtDesc => m.CreatedAt.Ticks.ToString(CultureInfo.InvariantCulture),
        MediaOrdering.Size or MediaOrdering.SizeDesc => m.Size.ToString(CultureInfo.InvariantCulture),
        _ => m.Title,
    };
}

/// <summary>
/// Search is a case-insensitive substring match on title, alt text and file name. Both sides are folded the same way
/// in .NET (NFC, invariant lower case), so SQLite and PostgreSQL agree whatever their collation.
/// </summary>
public static class MediaSearch
{
    public const int MaxLength = 200;

    public static string Fold(string text) => text.Normalize(NormalizationForm.FormC).ToLowerInvariant();

    /// <summary>The folded term, or null when there is nothing to search for.</summary>
    public static string? Term(string? search) => string.IsNullOrWhiteSpace(search) ? null : Fold(search.Trim());

    /// <summary>Control characters separate the fields in <see cref="MediaItem.SearchText"/>, so a term may not hold them.</summary>
    public static bool IsValid(string search) => search.Length <= MaxLength && !search.Any(char.IsControl);

    public static string LikePattern(string term) =>
        "%" + term.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";

    /// <summary>A trigram index finds terms of three characters or more; shorter ones are a scan.</summary>
    public static bool Indexable(string term) => term.EnumerateRunes().Count() >= 3;

    /// <summary>An FTS5 phrase: inside double quotes everything is literal except a doubled quote.</summary>
    public static string FtsPhrase(string term) => "\"" + term.Replace("\"", "\"\"") + "\"";
}
