namespace MediaLibrary.Media;

/// <summary>
/// One change of one media, written in the transaction of the change itself: what was done, by whom (the user, or
/// "system" for the worker's purge), when, from which request and address, and what changed (a small JSON object:
/// the fields before and after, the old and new version, the reference key). No foreign key: history outlives the media.
/// </summary>
public sealed class HistoryEntry
{
    public long Id { get; set; }
    public long MediaId { get; set; }

    /// <summary>created, edited, replaced, trashed, restored, purged, deleted, referenced, unreferenced.</summary>
    public string Action { get; set; } = "";

    /// <summary>The user's name as it was at the time, an API key's "key mlk_… (name)", or "system" for the service's own work.</summary>
    public string Actor { get; set; } = "";

    /// <summary>The user's id; null for an API key and for the service's own work.</summary>
    public long? ActorId { get; set; }

    public DateTime At { get; set; }
    public string? RequestId { get; set; }
    public string? ClientAddress { get; set; }

    /// <summary>What changed, as a JSON object; null when the action says it all.</summary>
    public string? Details { get; set; }
}
