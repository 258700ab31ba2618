namespace MediaLibrary.Cleanup;

/// <summary>
/// What references stored objects, asked by the queue and the reconciler without knowing whose rows they are. The
/// feature that owns the rows implements it (media and their derivatives).
/// </summary>
public interface IStorageReferences
{
    /// <summary>Which of <paramref name="keys"/> on <paramref name="provider"/> some row references.</summary>
    Task<IReadOnlySet<string>> ReferencedAsync(string provider, IReadOnlyCollection<string> keys, CancellationToken ct);

    /// <summary>The rows that own a current object, in id order after <paramref name="afterId"/>: the reconciler's walk.</summary>
    Task<IReadOnlyList<StoredReference>> OwnersAfterAsync(long afterId, int count, CancellationToken ct);

    /// <summary>Whether the row still points at that key (it was not replaced or deleted meanwhile).</summary>
    Task<bool> StillReferencesAsync(long ownerId, string key, CancellationToken ct);

    /// <summary>Flags the row's object as missing since <paramref name="since"/>, or clears the flag with null.</summary>
    Task SetMissingAsync(long ownerId, string key, DateTime? since, CancellationToken ct);
}
