using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Media;

public sealed partial class MediaService
{
    /// <summary>
    /// One page of the list. Pages after or before a cursor seek in the ordering's index (keyset), so every page
    /// costs the same however deep it is; a page by number skips through ids in that index only.
    /// </summary>
    public async Task<MediaPage> ListAsync(MediaQuery query, CancellationToken ct)
    {
        // A type ("image/png") or a family ("image/*", matched as the prefix "image/").
        var type = string.IsNullOrEmpty(query.ContentType) ? null : query.ContentType.ToLowerInvariant();
        var family = type is not null && type.EndsWith("/*", StringComparison.Ordinal) ? type[..^1] : null;
        IQueryable<Media> filtered = db.Media.AsNoTracking();
        if (family is not null) filtered = filtered.Where(m => m.ContentType.StartsWith(family));
        else if (type is not null) filtered = filtered.Where(m => m.ContentType == type);

        var offset = query.Cursor is null ? (query.Page - 1) * query.PageSize : 0;
        int? count = null;
        var term = MediaSearch.Term(query.Search);
        if (term is not null)
        {
            var like = filtered.Where(m => EF.Functions.Like(m.SearchText, MediaSearch.LikePattern(term), "\\"));
            if (db.Database.IsSqlite() && MediaSearch.Indexable(term))
            {
                // PostgreSQL's planner picks between its trigram index and the ordering's index from statistics;
                // SQLite has none, so the choice is made here from the number of matches the FTS5 index finds.
                var phrase = MediaSearch.FtsPhrase(term);
                var matches = db.Database.SqlQuery<long>($"SELECT rowid AS \"Value\" FROM media_search WHERE media_search MATCH {phrase}");
                var indexed = filtered.Where(m => matches.Contains(m.Id));
                count = await (type is null ? matches : indexed.Select(m => m.Id)).Take(CountCap + 1).CountAsync(ct);
                // Walking the ordering's index and testing each row reads about (skipped + page) × rows / matches
                // rows; taking the matches from the index and sorting them reads all of them. Past the cap, walk.
                var walkIt = count > CountCap;
                if (!walkIt)
                {
                    var rows = await db.Media.MaxAsync(m => (long?)m.Id, ct) ?? 0;
                    walkIt = (double)(offset + query.PageSize) * rows / Math.Max(count.Value, 1) < count;
                }
                filtered = walkIt ? like : indexed;
            }
            else filtered = like;
        }
        else
        {
            // Kept per content type by triggers in the same transaction as the rows: exact, and a handful of rows to read.
            IQueryable<MediaCount> counts = db.MediaCounts;
            if (family is not null) counts = counts.Where(c => c.ContentType.StartsWith(family));
            else if (type is not null) counts = counts.Where(c => c.ContentType == type);
            count = (int)await counts.SumAsync(c => c.Count, ct);
        }

        var page = query.Cursor is { } cursor
            ? await SeekPageAsync(filtered, cursor, query.PageSize, ct)
            : await NumberedPageAsync(filtered, query.Ordering, offset, query.PageSize, ct);
        // A search counts its matches only up to a cap: past it, counting would read every match. When the first
        // page holds them all, it is the count.
        count ??= query.Cursor is null && offset == 0 && page.Next is null
            ? page.Items.Count
            : await filtered.Select(m => m.Id).Take(CountCap + 1).CountAsync(ct);
        return term is not null && count > CountCap ? page with { Count = CountCap, CountExact = false } : page with { Count = count.Value };
    }

    /// <summary>How far a search counts its matches; beyond it the list says "at least this many".</summary>
    public const int CountCap = 1000;

    private static async Task<MediaPage> SeekPageAsync(IQueryable<Media> filtered, MediaCursor cursor, int size, CancellationToken ct)
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

    private async Task<MediaPage> NumberedPageAsync(IQueryable<Media> filtered, MediaOrdering ordering, int offset, int size, CancellationToken ct)
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
    private static IQueryable<Media> Order(IQueryable<Media> q, MediaOrdering ordering, bool backwards)
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
    private static IQueryable<Media> Beyond(IQueryable<Media> q, MediaCursor c)
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

public sealed record MediaPage(int Count, List<Media> Items, MediaCursor? Next, MediaCursor? Previous)
{
    /// <summary>False when a search found more than <see cref="MediaService.CountCap"/> and stopped counting.</summary>
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

    public static MediaCursor Following(Media m, MediaOrdering ordering) => new(ordering, false, m.Id, KeyOf(m, ordering));

    public static MediaCursor Preceding(Media m, MediaOrdering ordering) => new(ordering, true, m.Id, KeyOf(m, ordering));

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

    private static string KeyOf(Media m, MediaOrdering ordering) => ordering switch
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

    /// <summary>Control characters separate the fields in <see cref="Media.SearchText"/>, so a term may not hold them.</summary>
    public static bool IsValid(string search) => search.Length <= MaxLength && !search.Any(char.IsControl);

    public static string LikePattern(string term) =>
        "%" + term.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";

    /// <summary>A trigram index finds terms of three characters or more; shorter ones are a scan.</summary>
    public static bool Indexable(string term) => term.EnumerateRunes().Count() >= 3;

    /// <summary>An FTS5 phrase: inside double quotes everything is literal except a doubled quote.</summary>
    public static string FtsPhrase(string term) => "\"" + term.Replace("\"", "\"\"") + "\"";
}
