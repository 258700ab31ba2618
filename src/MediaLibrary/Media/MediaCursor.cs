using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace MediaLibrary.Media;

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
