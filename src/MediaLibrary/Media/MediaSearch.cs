using System.Text;

namespace MediaLibrary.Media;

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
