namespace MediaLibrary.Media;

/// <summary>
/// What a folder may be called: 1 to 255 characters after trimming (runs of spaces become one), no slash or backslash
/// (a name is never a path), no control or format characters. Compared case-insensitively among siblings.
/// </summary>
public static class FolderNames
{
    public const int MaxLength = 255;

    /// <summary>How deep the tree may go: a folder at this depth takes no subfolders.</summary>
    public const int MaxDepth = 32;

    /// <summary>The cleaned name, or why it is refused.</summary>
    public static (string? Name, string? Error) Clean(string? raw)
    {
        if (raw is null) return (null, "name is required.");
        if (raw.Length > MaxLength * 4) return (null, $"name is at most {MaxLength} characters.");
        if (raw.Any(char.IsControl)) return (null, "name cannot contain control characters (tabs and line breaks included).");
        var name = NameText.Collapse(raw);
        if (name.Length == 0) return (null, "name cannot be empty or only white space.");
        if (name.Length > MaxLength) return (null, $"name is at most {MaxLength} characters.");
        if (name.Contains('/') || name.Contains('\\')) return (null, "name cannot contain / or \\: a folder's name is never a path.");
        if (name is "." or "..") return (null, "name cannot be . or ..");
        if (NameText.HasForbiddenCharacters(name)) return (null, "name cannot contain control, format or unassigned characters.");
        return (name, null);
    }

    /// <summary>The key that makes sibling names unique whatever their case.</summary>
    public static string Key(string name) => NameText.Fold(name);
}
