using System.Globalization;

namespace MediaLibrary.Page;

/// <summary>
/// What the page shows, from its query string: the search, type filter, ordering, page number, the folder it is in
/// (null: all media), a tag it is filtered by ("" for none) and whether media are used ("false": used nowhere, "true":
/// used somewhere, "" either).
/// </summary>
public sealed record EditorView(string Search, string Type, string Ordering, int Page, long? Folder = null, string Tag = "", string Used = "")
{
    /// <summary>The page's own URL for another page of the same view.</summary>
    public string Query(int page) => Url(this with { Page = page });

    /// <summary>The same filters in another folder (null: all media), from page 1.</summary>
    public string InFolder(long? folder) => Url(this with { Folder = folder, Page = 1 });

    /// <summary>The same filters with another tag ("" for none), from page 1.</summary>
    public string WithTag(string tag) => Url(this with { Tag = tag, Page = 1 });

    private static string Url(EditorView v)
    {
        var parts = new List<string>();
        if (v.Folder is { } folder) parts.Add("folder=" + folder.ToString(CultureInfo.InvariantCulture));
        if (v.Tag.Length > 0) parts.Add("tag=" + Uri.EscapeDataString(v.Tag));
        if (v.Search.Length > 0) parts.Add("search=" + Uri.EscapeDataString(v.Search));
        if (v.Type.Length > 0) parts.Add("type=" + Uri.EscapeDataString(v.Type));
        if (v.Used.Length > 0) parts.Add("used=" + v.Used);
        if (v.Ordering != "-created_at") parts.Add("ordering=" + Uri.EscapeDataString(v.Ordering));
        if (v.Page > 1) parts.Add("page=" + v.Page.ToString(CultureInfo.InvariantCulture));
        return parts.Count == 0 ? "/" : "/?" + string.Join('&', parts);
    }
}
