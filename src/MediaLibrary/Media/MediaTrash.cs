using MediaLibrary.Data;
using MediaLibrary.Web;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Media;

/// <summary>
/// The trash: what a delete put there (see <see cref="MediaLifecycle.DeleteAsync"/>), listed newest first, restored
/// with its id, version and URLs, or purged when its time is up or the trash is emptied. A purge goes through
/// <see cref="VersionRetirement"/>, the one way stored objects leave; a restore that got there first wins (the purge
/// finds the row changed and leaves it).
/// </summary>
public sealed class MediaTrash(MediaDbContext db, VersionRetirement retirement, FolderTree folders, MediaTags tags, MediaHistory history,
    TimeProvider time, ILogger<MediaTrash> logger)
{
    /// <summary>How long emptying the trash purges inline before it leaves the rest to the worker.</summary>
    private static readonly TimeSpan InlineBudget = TimeSpan.FromSeconds(2);

    /// <summary>On SQLite a purge works this long, then pauses this long (real time: pacing, not the library's clock).</summary>
    private static readonly TimeSpan SqliteWorkSlice = TimeSpan.FromMilliseconds(50), SqlitePause = TimeSpan.FromMilliseconds(120);

    /// <summary>
    /// Brings the media back from the trash into its folder (or the top, when that folder was deleted meanwhile): same id,
    /// version and file URL. Null when there is no such media (never was, or purged); 409 when it is not in the trash.
    /// </summary>
    public async Task<TaggedMedia?> RestoreAsync(long id, IfMatch ifMatch, CancellationToken ct)
    {
        var media = await db.Media.FirstOrDefaultAsync(m => m.Id == id, ct);
        if (media is null) return null;
        if (media.TrashedAt is null)
            throw new ApiProblemException(StatusCodes.Status409Conflict, "The media is not in the trash.",
                $"Media {id} is in the library; only media in the trash can be restored.");
        MediaLifecycle.CheckIfMatch(media, ifMatch);
        // Read now, not after the commit, where a failed read would turn a restore that happened into an error. Its tags
        // cannot change meanwhile: only media in the library take edits.
        var tagNames = await tags.OfAsync(id, ct);
        try
        {
            // The folder tree's lock held shared: the folder found here is not deleted before the media is back in it.
            await retirement.RestoreUrlAsync(media, folders.BeginSharedAsync, async c =>
            {
                if (media.FolderId is { } folder && !await db.Folders.AnyAsync(f => f.Id == folder, c)) media.FolderId = null;
            }, m =>
            {
                history.Record(m.Id, "restored", new { trashed_at = m.TrashedAt, folder_id = m.FolderId });
                (m.TrashedAt, m.PurgeAt, m.UpdatedAt) = (null, null, Now());
                m.Revision++;
            }, _ => MediaLog.Restored(logger, media.Id, media.StorageKey, media.StorageProvider, media.Version, media.FolderId), ct);
        }
        catch (Exception ex) when (ex is MediaChangedException or DbUpdateConcurrencyException)
        {
            // Purged, restored or emptied meanwhile: say what it is now.
            db.ChangeTracker.Clear();
            var now = await db.Media.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct);
            if (now is null) return null;
            throw new ApiProblemException(StatusCodes.Status409Conflict, "The media changed while it was restored.",
                now.TrashedAt is null ? $"Media {id} was restored by another request." : $"Media {id} changed meanwhile; try again.");
        }
        return new TaggedMedia(media, tagNames);
    }

    /// <summary>A page of the trash, most recently deleted first, after <paramref name="after"/>; its count is exact.</summary>
    public async Task<(int Count, List<MediaItem> Items, TimeCursor? Next)> ListAsync(TimeCursor? after, int pageSize, CancellationToken ct)
    {
        var trashed = db.Media.AsNoTracking().Where(m => m.TrashedAt != null);
        var rows = after is { At: var at, Id: var id } ? trashed.Where(m => m.TrashedAt <= at && (m.TrashedAt < at || m.Id < id)) : trashed;
        var items = await rows.OrderByDescending(m => m.TrashedAt).ThenByDescending(m => m.Id).Take(pageSize + 1).ToListAsync(ct);
        var more = items.Count > pageSize;
        if (more) items.RemoveAt(pageSize);
        return (await trashed.CountAsync(ct), items, more ? new TimeCursor(items[^1].TrashedAt!.Value, items[^1].Id) : null);
    }

    /// <summary>
    /// Empties the trash (admins): everything in it falls due now, and is purged here for up to two seconds; the cleanup
    /// worker purges what is left on its next passes. Returns how many were purged here and how many are left.
    /// </summary>
    public async Task<(int Purged, int Remaining)> EmptyAsync(string user, CancellationToken ct)
    {
        var now = Now();
        var due = await db.Media.Where(m => m.TrashedAt != null && (m.PurgeAt == null || m.PurgeAt > now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.PurgeAt, now), ct);
        MediaLog.TrashEmptied(logger, user, due);
        var started = time.GetTimestamp();
        var purged = 0;
        while (time.GetElapsedTime(started) < InlineBudget)
        {
            var batch = await PurgeDueAsync(50, ct);
            purged += batch.Purged;
            if (batch.Read < 50 || batch.Purged == 0) break; // all due read, or none of them could go now
        }
        return (purged, await db.Media.CountAsync(m => m.TrashedAt != null && m.PurgeAt <= now, ct));
    }

    /// <summary>
    /// Purges up to <paramref name="count"/> media whose time in the trash is up, longest due first, each in its own
    /// transaction. One restored (or changed) since it was read is left alone. Returns how many were read and purged.
    /// </summary>
    public async Task<(int Read, int Purged)> PurgeDueAsync(int count, CancellationToken ct)
    {
        var now = Now();
        var due = await db.Media.AsNoTracking().Where(m => m.TrashedAt != null && m.PurgeAt <= now)
            .OrderBy(m => m.PurgeAt).ThenBy(m => m.Id).Select(m => m.Id).Take(count).ToListAsync(ct);
        var purged = 0;
        var working = System.Diagnostics.Stopwatch.StartNew();
        foreach (var id in due)
        {
            if (db.Database.IsSqlite() && working.Elapsed > SqliteWorkSlice)
            {
                // SQLite has one writer: a purge that took the lock again and again would starve the uploads waiting for
                // it, whose busy handler sleeps longer after each miss (up to 100 ms). A pause longer than that lets them in.
                await Task.Delay(SqlitePause, ct);
                working.Restart();
            }
            db.ChangeTracker.Clear();
            var media = await db.Media.FirstOrDefaultAsync(m => m.Id == id && m.TrashedAt != null && m.PurgeAt <= now, ct);
            if (media is null) continue;
            var dueAt = media.PurgeAt!.Value;
            try
            {
                await retirement.RetireMediaAsync(media, "purged", _ =>
                    {
                        history.Record(id, "purged", new
                        {
                            trashed_at = media.TrashedAt, purge_at = dueAt, storage_key = media.StorageKey,
                            title = media.Title, file_name = media.FileName, version = media.Version,
                        });
                        return Task.CompletedTask;
                    },
                    _ => MediaLog.Purged(logger, media.Id, media.StorageKey, media.StorageProvider, dueAt), ct);
                purged++;
            }
            catch (Exception ex) when (ex is MediaChangedException or DbUpdateConcurrencyException)
            {
                MediaLog.PurgeSkipped(logger, id);
            }
        }
        db.ChangeTracker.Clear();
        return (due.Count, purged);
    }

    private DateTime Now() => StoredTime.Now(time);
}
