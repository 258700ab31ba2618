using Microsoft.Extensions.Caching.Memory;

namespace MediaLibrary.Media;

/// <summary>
/// Where a version's bytes are, remembered on this node for a few seconds so that a burst of file requests costs one
/// query. A version's object never changes, so the only staleness is a version retired meanwhile: the change that
/// retires it forgets it here after its commit, another node's lookup lives at most <see cref="Lifetime"/>, and its
/// object is deleted with the change, so a stale lookup answers 404 and is forgotten.
/// </summary>
public sealed class FileLookups(IMemoryCache cache)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    public bool TryGet(long id, int version, out FileLookup? lookup) => cache.TryGetValue(Key(id, version), out lookup);

    public void Remember(FileLookup lookup) =>
        cache.Set(Key(lookup.Id, lookup.Version), lookup, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = Lifetime, Size = 1 });

    public void Forget(long id, int version) => cache.Remove(Key(id, version));

    private static (string, long, int) Key(long id, int version) => (nameof(FileLookups), id, version);
}
