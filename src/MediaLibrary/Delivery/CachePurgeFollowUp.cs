using MediaLibrary.Cleanup;
using MediaLibrary.Media;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Delivery;

/// <summary>
/// With MEDIALIB_CACHE_PURGE_URL: when a replace or a delete retires a version's URL, queues its purge in the same
/// transaction, once for right after its objects are gone (run inline) and once more for later (left to the worker),
/// for a cache fetch that was in flight during the change.
/// </summary>
public sealed class CachePurgeFollowUp(CleanupQueue queue, CachePurger cache, IOptions<CleanupOptions> options) : IRetirementFollowUp
{
    public IReadOnlyList<PendingDeletion> Enqueue(RetiredVersion version, string reason)
    {
        if (!cache.Enabled || !version.UrlRetired) return [];
        var path = MediaUrls.OriginalPath(version.MediaId, version.Version, version.FileName);
        var now = queue.Enqueue(version.MediaId, path, CachePurger.Provider, reason);
        var again = queue.Enqueue(version.MediaId, path, CachePurger.Provider, reason + ", again");
        again.NextAttemptAt = again.CreatedAt.AddSeconds(options.Value.CachePurgeAgainSeconds);
        again.LeaseUntil = null;
        return [now];
    }
}
