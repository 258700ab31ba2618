using MediaLibrary.Web;

namespace MediaLibrary.Media;

/// <summary>A reference as asked for: its key, label and link, already checked and cleaned.</summary>
public sealed record ReferenceInput(string Key, string Label, string? Url)
{
    /// <summary>Checks a reference's fields; the key is trimmed, the label collapsed (the key when absent).</summary>
    public static ReferenceInput From(string? key, string? label, string? url, string prefix = "")
    {
        var errors = new Dictionary<string, string[]>();
        var k = key?.Trim() ?? "";
        if (k.Length == 0) errors[prefix + "key"] = ["key names the place that uses the media, such as page:/about or product:42."];
        else if (k.Length > MediaReferences.MaxKeyLength || NameText.HasForbiddenCharacters(k))
            errors[prefix + "key"] = [$"key is at most {MediaReferences.MaxKeyLength} characters, without control characters."];
        var l = label is null ? k : NameText.Collapse(label);
        if (label is not null && (l.Length > MediaReferences.MaxLabelLength || NameText.HasForbiddenCharacters(label)))
            errors[prefix + "label"] = [$"label is at most {MediaReferences.MaxLabelLength} characters, without control characters."];
        var u = string.IsNullOrWhiteSpace(url) ? null : url.Trim();
        if (u is not null && (u.Length > MediaReferences.MaxUrlLength || !Uri.TryCreate(u, UriKind.Absolute, out var parsed)
                || parsed.Scheme is not ("http" or "https") || u.Any(char.IsControl)))
            errors[prefix + "url"] = [$"url is an absolute http or https address of at most {MediaReferences.MaxUrlLength} characters."];
        if (errors.Count > 0) throw new RequestValidationException(errors);
        return new ReferenceInput(k, l.Length > MediaReferences.MaxLabelLength ? l[..MediaReferences.MaxLabelLength] : l, u);
    }
}
