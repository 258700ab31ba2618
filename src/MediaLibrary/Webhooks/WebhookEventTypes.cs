namespace MediaLibrary.Webhooks;

/// <summary>The event types: one per kind of change the history records, and one per change to the folder tree.</summary>
public static class WebhookEventTypes
{
    public const string All = "*";

    /// <summary>The event an admin sends to one endpoint on request; never subscribed to.</summary>
    public const string Test = "webhook.test";

    private static readonly Dictionary<string, string> ByAction = new(StringComparer.Ordinal)
    {
        ["created"] = "media.created",
        ["edited"] = "media.updated",
        ["replaced"] = "media.file_replaced",
        ["trashed"] = "media.trashed",
        ["restored"] = "media.restored",
        ["purged"] = "media.purged",
        ["deleted"] = "media.deleted",
        ["referenced"] = "media.referenced",
        ["unreferenced"] = "media.unreferenced",
    };

    /// <summary>What the folder tree's event types begin with: an endpoint gets them in the order they were made.</summary>
    public const string FolderPrefix = "folder.";

    private static readonly Dictionary<string, string> ByFolderAction = new(StringComparer.Ordinal)
    {
        ["created"] = "folder.created",
        ["renamed"] = "folder.renamed",
        ["moved"] = "folder.moved",
        ["deleted"] = "folder.deleted",
    };

    public static IReadOnlyCollection<string> Known { get; } = [.. ByAction.Values, .. ByFolderAction.Values];

    /// <summary>The type of a history action's event, or null for an action that has none.</summary>
    public static string? Of(string action) => ByAction.GetValueOrDefault(action);

    /// <summary>The type of a change to the folder tree.</summary>
    public static string OfFolder(string action) => ByFolderAction[action];

    /// <summary>What is wrong with a list of event types, or null.</summary>
    public static string? Problem(IReadOnlyList<string>? events)
    {
        if (events is null || events.Count == 0) return $"Name the event types to send ({string.Join(", ", Known)}), or \"*\" for all.";
        var unknown = events.Where(e => e != All && !Known.Contains(e)).ToList();
        return unknown.Count == 0 ? null
            : $"Unknown event type{(unknown.Count == 1 ? "" : "s")} {string.Join(", ", unknown.Select(u => $"'{u}'"))}; the types are {string.Join(", ", Known)}, or \"*\" for all.";
    }
}
