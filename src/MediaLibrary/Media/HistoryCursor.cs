using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace MediaLibrary.Media;

/// <summary>Where a history page starts: after the entry with this time and id (newest first). Opaque to clients.</summary>
public sealed record HistoryCursor(DateTime At, long Id)
{
    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
        $"h1|{At.Ticks.ToString(CultureInfo.InvariantCulture)}|{Id.ToString(CultureInfo.InvariantCulture)}"));

    /// <summary>Null when the text is not a cursor this service wrote.</summary>
    public static HistoryCursor? Decode(string text)
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
        return parts.Length == 3 && parts[0] == "h1"
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTime.MaxValue.Ticks
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? new HistoryCursor(new DateTime(ticks, DateTimeKind.Utc), id) : null;
    }
}
