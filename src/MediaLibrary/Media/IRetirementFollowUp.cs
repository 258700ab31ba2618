using MediaLibrary.Cleanup;

namespace MediaLibrary.Media;

/// <summary>
/// Work another feature queues when a version retires, in the same transaction (a cache purge of the retired URL).
/// It adds entries to the <see cref="CleanupQueue"/>, never acts itself: the entries it returns are run inline after
/// the commit, after the version's objects are gone, and whatever fails is retried by the worker.
/// </summary>
public interface IRetirementFollowUp
{
    IReadOnlyList<PendingDeletion> Enqueue(RetiredVersion version, string reason);
}
