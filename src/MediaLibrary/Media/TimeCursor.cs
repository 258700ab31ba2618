using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace MediaLibrary.Media;

/// <summary>
/// Where a page of a newest-first list starts: after the row with this time and id (the trash by TrashedAt, the history
/// by At). Opaque to clients; its kind keeps a cursor of one list from being read by another.
/// </summary>
public sealed record TimeCursor(DateTime At, long Id)
{
    public const string Trash = "t1";
    public const string History = "h1";

    public string Encode(string kind) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
        $"{kind}|{At.Ticks.ToString(CultureInfo.InvariantCulture)}|{Id.ToString(CultureInfo.InvariantCulture)}"));

    /// <summary>Null when the text is not a cursor of <paramref name="kind"/> this service wrote.</summary>
    public static TimeCursor? Decode(string text, string kind)
    {
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split('|');
        }
        catch (FormatException)
        {
            return null;
        }
        return parts.Length == 3 && parts[0] == kind
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTime.MaxValue.Ticks
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? new TimeCursor(new DateTime(ticks, DateTimeKind.Utc), id) : null;
    }
}
