using MediaLibrary.Cleanup;
using MediaLibrary.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace MediaLibrary.Media;

/// <summary>
/// The one way a media version leaves. Replace, delete, a trash purge and storage migration retire through here, and
/// the trash retires a version's URL through here while keeping its objects. In one transaction: lock the row as it
/// was read, retire its derivatives, queue its original, queue the follow-ups (the cache purge of its URL), apply the
/// change, commit. Then forget this node's lookup of it and run the queued entries inline; whatever fails stays for the worker.
/// </summary>
public sealed class VersionRetirement(
    MediaDbContext db, CleanupQueue queue, Derivatives derivatives, IEnumerable<IRetirementFollowUp> followUps, FileLookups lookups)
{
    /// <summary>
    /// Retires the tracked row's current version while <paramref name="change"/> gives the row its next one (a new
    /// file, another storage). <paramref name="urlRetired"/>: the version's URL stops answering (a replace).
    /// <paramref name="committed"/> runs after the commit, before the inline attempts (for the caller's log line).
    /// </summary>
    /// <exception cref="MediaChangedException">The row changed or went since it was read; nothing was changed.</exception>
    public Task RetireVersionAsync(MediaItem tracked, string reason, bool urlRetired, Action<MediaItem> change, Action<RetiredVersion> committed,
        CancellationToken ct) =>
        RetireAsync(tracked, reason, urlRetired, objects: true, null, change, null, committed, ct);

    /// <summary>
    /// Retires the media as a whole: its version's objects, its derivatives and its row. <paramref name="check"/> runs
    /// under the row's lock, before anything changes: a deletion refused there (a media in use) leaves everything as it was.
    /// </summary>
    /// <exception cref="MediaChangedException">The row changed or went since it was read; nothing was changed.</exception>
    public Task RetireMediaAsync(MediaItem tracked, string reason, Func<CancellationToken, Task> check, Action<RetiredVersion> committed, CancellationToken ct) =>
        RetireAsync(tracked, reason, urlRetired: true, objects: true, null, m => db.Media.Remove(m), check, committed, ct);

    /// <summary>
    /// Retires the media's URL while <paramref name="change"/> puts it in the trash: the follow-ups (the cache purge)
    /// are queued, its objects and derivatives stay for a restore. <paramref name="check"/> as for a deletion.
    /// </summary>
    /// <exception cref="MediaChangedException">The row changed or went since it was read; nothing was changed.</exception>
    public Task RetireUrlAsync(MediaItem tracked, string reason, Action<MediaItem> change, Func<CancellationToken, Task> check,
        Action<RetiredVersion> committed, CancellationToken ct) =>
        RetireAsync(tracked, reason, urlRetired: true, objects: false, null, change, check, committed, ct);

    /// <summary>
    /// Brings back the URL of a media in the trash while <paramref name="change"/> restores it, in the transaction that
    /// <paramref name="begin"/> opens. Its cache purge is queued again: a cache may have kept the 404 it answered meanwhile.
    /// </summary>
    /// <exception cref="MediaChangedException">The row changed or went since it was read; nothing was changed.</exception>
    public Task RestoreUrlAsync(MediaItem tracked, Func<CancellationToken, Task<IDbContextTransaction>> begin, Func<CancellationToken, Task> check,
        Action<MediaItem> change, Action<RetiredVersion> committed, CancellationToken ct) =>
        RetireAsync(tracked, "restored", urlRetired: true, objects: false, begin, change, check, committed, ct);

    private async Task RetireAsync(MediaItem tracked, string reason, bool urlRetired, bool objects,
        Func<CancellationToken, Task<IDbContextTransaction>>? begin, Action<MediaItem> change,
        Func<CancellationToken, Task>? check, Action<RetiredVersion> committed, CancellationToken ct)
    {
        var retired = new RetiredVersion(tracked.Id, tracked.Version, tracked.FileName, tracked.StorageKey, tracked.StorageProvider, urlRetired);
        var revision = tracked.Revision;
        List<PendingDeletion> pending = [];
        await using (var tx = begin is null ? await db.Database.BeginTransactionAsync(ct) : await begin(ct))
        {
            // Lock the row, as it was read, before reading its derivatives: no render can claim one of this version after.
            if (await db.Media.Where(m => m.Id == retired.MediaId && m.Revision == revision)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.Revision, m => m.Revision), ct) == 0)
                throw new MediaChangedException(retired.MediaId);
            if (check is not null) await check(ct);
            if (objects)
            {
                pending.AddRange(await derivatives.RetireAsync(retired.MediaId, reason, ct));
                pending.Add(queue.Enqueue(retired.MediaId, retired.StorageKey, retired.StorageProvider, reason));
            }
            // After the objects: a fetch that a purge provokes then finds nothing to cache.
            foreach (var followUp in followUps) pending.AddRange(followUp.Enqueue(retired, reason));
            change(tracked);
            await db.SaveChangesAsync(ct); // the revision token refuses the change if the row moved on after all
            await tx.CommitAsync(ct);
        }
        lookups.Forget(retired.MediaId, retired.Version);
        committed(retired);
        await queue.RunInlineAsync(pending, ct);
    }
}
