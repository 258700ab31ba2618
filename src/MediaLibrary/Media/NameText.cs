using System.Globalization;
using System.Text;

namespace MediaLibrary.Media;

/// <summary>How folder names and tags are cleaned and compared.</summary>
public static class NameText
{
    /// <summary>NFC, trimmed, runs of white space as one space.</summary>
    public static string Collapse(string raw) =>
        string.Join(' ', raw.Normalize(NormalizationForm.FormC).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Control, format, private-use or unassigned characters, which no name may hold.</summary>
    public static bool HasForbiddenCharacters(string text)
    {
        foreach (var rune in text.EnumerateRunes())
            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
                return true;
        return false;
    }

    /// <summary>The case-insensitive key: names equal whatever their case have the same key.</summary>
    public static string Fold(string name) => name.ToUpperInvariant().ToLowerInvariant();
}
