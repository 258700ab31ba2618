using System.Globalization;

namespace MediaLibrary.Page;

/// <summary>What the page shows, from its query string: the search, type filter, ordering and page number.</summary>
public sealed record EditorView(string Search, string Type, string Ordering, int Page)
{
    /// <summary>The page's own URL for another page of the same view.</summary>
    public string Query(int page)
    {
        var parts = new List<string>();
        if (Search.Length > 0) parts.Add("search=" + Uri.EscapeDataString(Search));
        if (Type.Length > 0) parts.Add("type=" + Uri.EscapeDataString(Type));
        if (Ordering != "-created_at") parts.Add("ordering=" + Uri.EscapeDataString(Ordering));
        if (page > 1) parts.Add("page=" + page.ToString(CultureInfo.InvariantCulture));
        return parts.Count == 0 ? "/" : "/?" + string.Join('&', parts);
    }
}
