using System.Globalization;
using System.Text;

namespace MediaLibrary.Web;

/// <summary>What a client sent, made safe to stand in a log line.</summary>
public static class LogText
{
    public const int MaxLength = 200;

    /// <summary>
    /// Control characters (CR and LF that would forge a line, ESC that would colour a terminal, NUL …) written as
    /// <c>\uXXXX</c>; at most <see cref="MaxLength"/> characters, then an ellipsis.
    /// </summary>
    public static string Safe(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(Math.Min(text.Length, MaxLength) + 8);
        foreach (var c in text)
        {
            if (sb.Length >= MaxLength) return sb.Append('…').ToString();
            if (char.IsControl(c) || c is '\u2028' or '\u2029') sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
