using MediaLibrary.Data;
using MediaLibrary.Storage;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Cleanup;

/// <summary>
/// Compares storage with the database. Orphans: stored objects that no media or derivative row references and no pending deletion
/// covers, older than the grace period. Dangling rows: rows whose object is missing. Applying queues the orphans'
/// deletion through <see cref="CleanupQueue"/> (the one deletion path) and flags dangling rows. Progress is kept
/// in a cursor row after every batch, so an interrupted run on a large store resumes where it stopped.
/// </summary>
public sealed partial class Reconciler(
    MediaDbContext db, StorageRegistry storage, CleanupQueue cleanup, IStorageReferences references, TimeProvider time, ILogger<Reconciler> logger)
{
    // Phases: "objects:{provider}" for each configured storage in name order, then "rows".
    private const string ObjectsPhase = "objects:";
    private const string RowsPhase = "rows";

    public async Task<ReconcileReport> RunAsync(ReconcileRequest request, CancellationToken ct)
    {
        var report = new ReconcileReport { Applied = request.Apply };
        var name = request.Apply ? "apply" : "dry-run";
        var cursor = await db.ReconcileCursors.FirstOrDefaultAsync(c => c.Name == name, ct);
        if (cursor is null)
        {
            cursor = new ReconcileCursor { Name = name, Phase = ObjectsPhase + Stores()[0].Provider, StartedAt = Now(), UpdatedAt = Now() };
            db.ReconcileCursors.Add(cursor);
            await db.SaveChangesAsync(ct);
        }
        else
        {
            report.Resumed = true;
            LogResuming(name, cursor.Phase, cursor.LastKey, cursor.LastMediaId);
        }

        var cutoff = time.GetUtcNow() - request.Grace;
        foreach (var store in Stores())
        {
            if (cursor.Phase != ObjectsPhase + store.Provider) continue;
            var batch = new List<BlobItem>(request.BatchSize);
            await foreach (var item in store.ListAsync("", cursor.LastKey, ct))
            {
                batch.Add(item);
                if (batch.Count < request.BatchSize) continue;
                await ObjectsBatchAsync(store, batch, cutoff, request.Apply, report, ct);
                await SaveCursorAsync(cursor, c => c.LastKey = batch[^1].Key, ct);
                batch.Clear();
            }
            await ObjectsBatchAsync(store, batch, cutoff, request.Apply, report, ct);
            var next = Stores().SkipWhile(s => s != store).Skip(1).FirstOrDefault();
            await SaveCursorAsync(cursor, c => { c.Phase = next is null ? RowsPhase : ObjectsPhase + next.Provider; c.LastKey = null; c.LastMediaId = 0; }, ct);
        }

        while (true)
        {
            var lastId = cursor.LastMediaId;
            var rows = await references.OwnersAfterAsync(lastId, request.BatchSize, ct);
            if (rows.Count == 0) break;
            foreach (var row in rows)
            {
                report.RowsScanned++;
                if (storage.Find(row.Provider) is not { } store) continue; // checked by a node that has that storage
                var exists = await store.ExistsAsync(row.StorageKey, ct);
                if (!exists)
                {
                    // Replaced or deleted meanwhile: the old key is rightly gone.
                    if (!await references.StillReferencesAsync(row.OwnerId, row.StorageKey, ct)) continue;
                    report.Dangling.Add(new DanglingRow(row.OwnerId, row.StorageKey));
                    LogDangling(row.OwnerId, row.StorageKey, row.Provider, request.Apply ? "flagged" : "dry run");
                    if (request.Apply && row.MissingSince is null) await references.SetMissingAsync(row.OwnerId, row.StorageKey, Now(), ct);
                }
                else if (row.MissingSince is not null)
                {
                    report.Restored++;
                    if (request.Apply) await references.SetMissingAsync(row.OwnerId, row.StorageKey, null, ct);
                }
            }
            await SaveCursorAsync(cursor, c => c.LastMediaId = rows[^1].OwnerId, ct);
        }

        foreach (var store in Stores()) await UnfinishedUploadsAsync(store, cutoff, request.Apply, report, ct);

        db.ReconcileCursors.Remove(cursor);
        await db.SaveChangesAsync(ct);
        LogFinished(name, report.ObjectsScanned, report.RowsScanned, report.Orphans.Count, report.Dangling.Count);
        return report;
    }

    /// <summary>
    /// What uploads that never finished left (S3 multipart parts, local temporary files), older than the grace period and
    /// covered by no upload's pending entry (which removes its own): reported, and with apply aborted. Each abort and
    /// each failure is logged.
    /// </summary>
    private async Task UnfinishedUploadsAsync(IBlobStore store, DateTimeOffset cutoff, bool apply, ReconcileReport report, CancellationToken ct)
    {
        var stale = new List<UnfinishedUpload>();
        try
        {
            await foreach (var upload in store.ListUnfinishedUploadsAsync(ct))
                if (upload.StartedAt < cutoff) stale.Add(upload);
        }
        catch (StorageException ex)
        {
            report.UploadsNotListed.Add($"{store.Provider}: {ex.Message}");
            LogUploadsNotListed(ex, store.Provider);
            return;
        }
        var ids = stale.Select(u => u.UploadId).ToList();
        var covered = (await db.PendingDeletions.Where(p => p.Provider == store.Provider && p.UploadId != null && ids.Contains(p.UploadId))
            .Select(p => p.UploadId!).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        foreach (var upload in stale.Where(u => !covered.Contains(u.UploadId)))
        {
            report.StaleUploads.Add((store.Provider, upload));
            if (!apply) continue;
            try
            {
                await store.AbortUploadAsync(upload.Key ?? upload.UploadId, upload.UploadId, ct);
                LogUploadAborted(store.Provider, upload.Key, upload.UploadId, upload.StartedAt);
            }
            catch (StorageException ex)
            {
                LogUploadAbortFailed(ex, store.Provider, upload.Key, upload.UploadId);
            }
        }
    }

    private List<IBlobStore> Stores() => storage.All.OrderBy(s => s.Provider, StringComparer.Ordinal).ToList();

    private async Task ObjectsBatchAsync(IBlobStore store, List<BlobItem> batch, DateTimeOffset cutoff, bool apply, ReconcileReport report, CancellationToken ct)
    {
        if (batch.Count == 0) return;
        report.ObjectsScanned += batch.Count;
        var keys = batch.Select(b => b.Key).ToList();
        var provider = store.Provider;
        var referenced = await references.ReferencedAsync(provider, keys, ct);
        var lookup = keys.SelectMany(EntryKeys).Distinct().ToList();
        var queued = (await db.PendingDeletions.Where(p => p.Provider == provider && lookup.Contains(p.StorageKey)).Select(p => p.StorageKey).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);

        var entries = new List<PendingDeletion>();
        foreach (var item in batch.Where(i => StorageKeys.IsOurs(i.Key) && !referenced.Contains(i.Key) && !EntryKeys(i.Key).Any(queued.Contains)
                                               && i.LastModified < cutoff))
        {
            report.Orphans.Add(new OrphanObject(item.Key, item.Size, item.LastModified));
            LogOrphan(item.Key, store.Provider, item.Size, item.LastModified, apply ? "deleting" : "dry run");
            if (apply) entries.Add(cleanup.Enqueue(null, item.Key, store.Provider, "orphan"));
        }
        if (entries.Count == 0) return;
        await db.SaveChangesAsync(ct);
        await cleanup.RunInlineAsync(entries, ct);
    }

    /// <summary>
    /// The keys an entry that covers the object may name: its own; a resumable upload's tail's is the upload's original
    /// beside it; an object an upload made on Cloudinary is named by its locator, the upload's entry by the generated key.
    /// </summary>
    private static IEnumerable<string> EntryKeys(string key)
    {
        yield return key;
        if (StorageKeys.ResumableTailOwner(key) is { } owner) yield return owner;
        if (StorageKeys.Generated(key) is var generated && generated != key) yield return generated;
    }

    private async Task SaveCursorAsync(ReconcileCursor cursor, Action<ReconcileCursor> change, CancellationToken ct)
    {
        change(cursor);
        cursor.UpdatedAt = Now();
        await db.SaveChangesAsync(ct);
    }

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconcile ({Run}) resumes in phase {Phase} after key {LastKey} / media {LastMediaId}")]
    private partial void LogResuming(string run, string phase, string? lastKey, long lastMediaId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Orphan object {StorageKey} on {Provider} ({Size} bytes, last modified {LastModified:o}): no row references it; result={Result}")]
    private partial void LogOrphan(string storageKey, string provider, long size, DateTimeOffset lastModified, string result);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dangling row: media {MediaId} points at {StorageKey} on {Provider}, which is missing; result={Result}")]
    private partial void LogDangling(long mediaId, string storageKey, string provider, string result);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconcile ({Run}) finished: {Objects} objects and {Rows} rows scanned, {Orphans} orphans, {Dangling} dangling rows")]
    private partial void LogFinished(string run, int objects, int rows, int orphans, int dangling);

    [LoggerMessage(Level = LogLevel.Information, Message = "Aborted the unfinished upload {UploadId} of {StorageKey} on {Provider}, begun {StartedAt:o}: result=ok")]
    private partial void LogUploadAborted(string provider, string? storageKey, string uploadId, DateTimeOffset startedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Aborting the unfinished upload {UploadId} of {StorageKey} on {Provider} failed: result=failed; the next run tries again")]
    private partial void LogUploadAbortFailed(Exception exception, string provider, string? storageKey, string uploadId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Provider} storage did not list its unfinished uploads; a lifecycle rule must remove them there")]
    private partial void LogUploadsNotListed(Exception exception, string provider);
}
