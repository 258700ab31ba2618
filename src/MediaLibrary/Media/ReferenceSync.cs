namespace MediaLibrary.Media;

/// <summary>What a sync did: the referrer's media now, and which were added, removed, or kept with a new label or link.</summary>
public sealed record ReferenceSync(string Key, IReadOnlyList<long> MediaIds, IReadOnlyList<long> Added, IReadOnlyList<long> Removed, int Updated);
