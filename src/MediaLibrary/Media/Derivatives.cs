using MediaLibrary.Cleanup;
using MediaLibrary.Data;
using MediaLibrary.Imaging;
using MediaLibrary.Storage;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Media;

/// <summary>
/// The derivative rows. Every change that retires a media version (<see cref="VersionRetirement"/>) locks the
/// media row first and then retires the derivatives in the same transaction; a render claims its row under the same
/// lock, only while the media is still at that version. So a render either lands before the retirement (and is
/// queued with it) or finds the version gone; no rendered object can escape the cleanup path.
/// </summary>
public sealed class Derivatives(MediaDbContext db, CleanupQueue cleanup, TimeProvider time)
{
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(2);

    public Task<Derivative?> FindReadyAsync(long mediaId, int version, string transform, CancellationToken ct) =>
        db.Derivatives.AsNoTracking().FirstOrDefaultAsync(d => d.MediaId == mediaId && d.Version == version && d.Transform == transform && d.Ready, ct);

    /// <summary>Takes the row lock that serialises this media's version changes: call inside a transaction.</summary>
    public Task<int> LockMediaAsync(long mediaId, int version, CancellationToken ct) =>
        db.Media.Where(m => m.Id == mediaId && m.Version == version).ExecuteUpdateAsync(s => s.SetProperty(m => m.Version, m => m.Version), ct);

    /// <summary>
    /// Claims the right to render (or finds the render done), while the media is still at its version. A claim comes
    /// with its upload entry, committed together: the key is tracked before the render's first byte is stored.
    /// </summary>
    public async Task<(ClaimOutcome Outcome, Derivative? Row, PendingDeletion? Deferred)> ClaimAsync(MediaItem media, string transform, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await LockMediaAsync(media.Id, media.Version, ct) == 0) return (ClaimOutcome.Gone, null, null);
        var now = Now();
        var key = StorageKeys.Derivative(media.StorageKey, transform);
        var row = await db.Derivatives.FirstOrDefaultAsync(d => d.MediaId == media.Id && d.Transform == transform, ct);
        if (row is null)
        {
            row = new Derivative
            {
                MediaId = media.Id, Version = media.Version, Transform = transform, StorageKey = key, StorageProvider = media.StorageProvider,
                ClaimedAt = now, CreatedAt = now,
            };
            db.Derivatives.Add(row);
        }
        else if (row.Ready) return (ClaimOutcome.Ready, row, null);
        else if (now - row.ClaimedAt < ClaimTimeout) return (ClaimOutcome.Busy, row, null);
        else
        {
            // The render that claimed it died. Its object, if any, is no longer referenced: its upload entry removes it.
            row.StorageKey = key;
            row.ClaimedAt = now;
        }
        var deferred = cleanup.Defer(media.Id, key, media.StorageProvider);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return (ClaimOutcome.Claimed, row, deferred);
    }

    /// <summary>
    /// Marks a claimed render done and, in the same commit, removes the entry that would delete its object; false if
    /// its claim was retired or taken over meanwhile, or a worker holds the entry (nothing is changed then).
    /// </summary>
    public async Task<bool> CompleteAsync(Derivative claim, StoredBlob blob, RenderResult result, PendingDeletion deferred, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var done = await db.Derivatives.Where(d => d.Id == claim.Id && d.StorageKey == claim.StorageKey && !d.Ready)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Ready, true)
                .SetProperty(d => d.StorageKey, blob.Key)
                .SetProperty(d => d.Size, blob.Size)
                .SetProperty(d => d.Width, result.Width)
                .SetProperty(d => d.Height, result.Height)
                .SetProperty(d => d.ContentType, result.ContentType), ct) == 1;
        if (!done || !await cleanup.CancelNowAsync(deferred, ct)) return false; // rolled back
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Gives a claim up (the render failed before anything was stored, or its object is removed next).</summary>
    public Task AbandonAsync(Derivative claim, CancellationToken ct) =>
        db.Derivatives.Where(d => d.Id == claim.Id && d.StorageKey == claim.StorageKey).ExecuteDeleteAsync(ct);

    /// <summary>
    /// Queues every derivative of the media for deletion and drops their rows. Call inside the transaction that
    /// changed (and so locked) the media row; the caller's SaveChanges commits it and then runs the returned entries.
    /// </summary>
    public async Task<List<PendingDeletion>> RetireAsync(long mediaId, string reason, CancellationToken ct)
    {
        var rows = await db.Derivatives.Where(d => d.MediaId == mediaId).ToListAsync(ct);
        var entries = new List<PendingDeletion>(rows.Count);
        foreach (var row in rows)
        {
            entries.Add(cleanup.Enqueue(mediaId, row.StorageKey, row.StorageProvider, reason));
            db.Derivatives.Remove(row);
        }
        return entries;
    }


    private DateTime Now() => StoredTime.Now(time);
}
