namespace MediaLibrary.Cleanup;

/// <summary>A row that owns a stored object, as the reconciler walks them.</summary>
public sealed record StoredReference(long OwnerId, string StorageKey, string Provider, DateTime? MissingSince);
