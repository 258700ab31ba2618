using MediaLibrary.Web;

namespace MediaLibrary.Media;

/// <summary>
/// What a tag may be: 1 to 64 characters after trimming (runs of spaces become one), no comma (a list of tags is
/// written with commas), no control or format characters. Case-insensitive: "Summer" and "summer" are one tag.
/// </summary>
public static class TagNames
{
    public const int MaxLength = 64;

    /// <summary>How many tags one media holds, and how many one request may name.</summary>
    public const int MaxPerMedia = 100;

    /// <summary>The cleaned tag, or why it is refused.</summary>
    public static (string? Name, string? Error) Clean(string? raw)
    {
        if (raw is null) return (null, "a tag cannot be null.");
        if (raw.Length > MaxLength * 4) return (null, $"a tag is at most {MaxLength} characters.");
        var name = NameText.Collapse(raw);
        if (name.Length == 0) return (null, "a tag cannot be empty or only white space.");
        if (name.Length > MaxLength) return (null, $"a tag is at most {MaxLength} characters.");
        if (name.Contains(',')) return (null, "a tag cannot contain a comma.");
        if (NameText.HasForbiddenCharacters(raw)) return (null, "a tag cannot contain control, format or unassigned characters.");
        return (name, null);
    }

    /// <summary>
    /// Cleans a list of tags: each one valid, at most <see cref="MaxPerMedia"/>, duplicates (whatever their case) once.
    /// Throws a validation problem naming <paramref name="field"/> otherwise.
    /// </summary>
    public static IReadOnlyList<string> CleanAll(IReadOnlyList<string?> raw, string field)
    {
        if (raw.Count > MaxPerMedia)
            throw new RequestValidationException(new Dictionary<string, string[]> { [field] = [$"{field} holds at most {MaxPerMedia} tags, not {raw.Count}."] });
        var names = new List<string>(raw.Count);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var tag in raw)
        {
            var (name, error) = Clean(tag);
            if (name is null) errors.Add(error!);
            else if (keys.Add(Key(name))) names.Add(name);
        }
        if (errors.Count > 0) throw new RequestValidationException(new Dictionary<string, string[]> { [field] = errors.Distinct().ToArray() });
        return names;
    }

    /// <summary>A comma-separated list (the upload form's field), cleaned like <see cref="CleanAll"/>.</summary>
    public static IReadOnlyList<string> FromField(string? value, string field) => string.IsNullOrWhiteSpace(value)
        ? []
        : CleanAll(value.Split(',').Where(t => !string.IsNullOrWhiteSpace(t)).ToList<string?>(), field);

    public static string Key(string name) => NameText.Fold(name);
}
