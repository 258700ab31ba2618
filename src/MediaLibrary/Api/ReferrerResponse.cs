namespace MediaLibrary.Api;

/// <summary>
/// One place and the media it uses (in id order). After a sync: which media it added and removed, and how many kept
/// ones got the new label or link.
/// </summary>
public sealed record ReferrerResponse(string Key, IReadOnlyList<long> MediaIds, IReadOnlyList<long>? Added = null, IReadOnlyList<long>? Removed = null,
    int? Updated = null);
