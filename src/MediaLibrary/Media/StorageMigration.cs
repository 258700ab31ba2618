using MediaLibrary.Cleanup;
using MediaLibrary.Data;
using MediaLibrary.Storage;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Media;

/// <summary>
/// Moves every current file to another configured storage: copy under a new key, verify size and SHA-256 against
/// the row, switch the row, and queue the old copy's deletion through the cleanup path, one media at a time.
/// Rows already on the target are skipped, so an interrupted run simply runs again.
/// </summary>
public sealed partial class StorageMigration(
    MediaDbContext db, StorageRegistry storage, CleanupQueue cleanup, VersionRetirement retirement, ILogger<StorageMigration> logger)
{
    private const int BatchSize = 100;

    public async Task<MigrationReport> RunAsync(string target, bool apply, CancellationToken ct)
    {
        var to = storage.Find(target) ?? throw new ArgumentException(
            $"The '{target}' storage is not configured; configured: {string.Join(", ", storage.All.Select(s => s.Provider))}.");
        var report = new MigrationReport();
        long lastId = 0;
        while (true)
        {
            var rows = await db.Media.AsNoTracking().Where(m => m.Id > lastId && m.StorageProvider != target)
                .OrderBy(m => m.Id).Take(BatchSize).ToListAsync(ct);
            if (rows.Count == 0) break;
            lastId = rows[^1].Id;
            foreach (var row in rows)
            {
                report.ToMove++;
                report.Bytes += row.Size;
                if (!apply) continue;
                try
                {
                    if (await MoveAsync(row, to, ct)) report.Moved++;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    report.Failures.Add($"media {row.Id} ({row.StorageProvider} {row.StorageKey}): {ex.Message.ReplaceLineEndings(" ")}");
                    LogFailed(ex, row.Id, row.StorageKey, row.StorageProvider, target);
                }
            }
        }
        return report;
    }

    private async Task<bool> MoveAsync(MediaItem row, IBlobStore to, CancellationToken ct)
    {
        var from = storage.Find(row.StorageProvider)
            ?? throw new StorageException(row.StorageProvider, row.StorageKey, $"The '{row.StorageProvider}' storage holding it is not configured.");
        var key = StorageKeys.Original(row.StorageId, StorageKeys.NewId());
        // Tracked before the first byte, like an upload: a run killed mid-copy leaves nothing once the entry falls due.
        var deferred = await cleanup.DeferAsync(row.Id, key, to.Provider, ct);
        StoredBlob copy;
        string sha256;
        try
        {
            await using (cleanup.KeepAlive(deferred))
            await using (var source = await from.OpenReadAsync(row.StorageKey, ct))
            await using (var hashing = new HashingStream(source, long.MaxValue))
            {
                copy = await to.UploadAsync(key, hashing, row.ContentType, (id, c) => cleanup.RecordUploadIdAsync(deferred, id, c), ct);
                sha256 = hashing.Sha256;
            }
            await cleanup.RekeyAsync(deferred, copy.Key, ct);
        }
        catch (Exception ex)
        {
            LogDiscarded(ex, row.Id, key, to.Provider);
            await cleanup.DeleteUncommittedUploadAsync(deferred, CancellationToken.None);
            throw;
        }
        LogCopied(row.Id, row.StorageKey, from.Provider, copy.Key, to.Provider);

        var committed = false;
        try
        {
            if (sha256 != row.Sha256 || copy.Size != row.Size)
                throw new StorageException(to.Provider, copy.Key, $"The copy does not match: sha256 {sha256} and {copy.Size} bytes, the row says {row.Sha256} and {row.Size}.");
            var tracked = await db.Media.FirstOrDefaultAsync(m => m.Id == row.Id, ct);
            if (tracked is null || tracked.StorageKey != row.StorageKey)
                throw new InvalidOperationException("The media was replaced or deleted while it was copied; the copy is discarded.");
            // Renders of the old copy go too; the new storage renders them afresh on request. The URL stays: no purge.
            await retirement.RetireVersionAsync(tracked, "migrated", urlRetired: false, m =>
            {
                cleanup.Cancel(deferred); // in the same commit as the switch
                m.StorageKey = copy.Key;
                m.StorageProvider = to.Provider;
            }, old =>
            {
                committed = true;
                LogSwitched(row.Id, copy.Key, to.Provider, old.StorageKey, old.StorageProvider);
            }, ct);
        }
        catch (Exception ex) when (!committed)
        {
            LogDiscarded(ex, row.Id, copy.Key, to.Provider);
            await cleanup.DeleteUncommittedUploadAsync(deferred, CancellationToken.None);
            throw;
        }
        db.ChangeTracker.Clear();
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Copied media {MediaId} from {StorageKey} on {Provider} to {NewStorageKey} on {NewProvider}: sha256 verified")]
    private partial void LogCopied(long mediaId, string storageKey, string provider, string newStorageKey, string newProvider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media {MediaId} now at {StorageKey} on {Provider}; old {OldStorageKey} on {OldProvider} queued for deletion")]
    private partial void LogSwitched(long mediaId, string storageKey, string provider, string oldStorageKey, string oldProvider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Copy {StorageKey} of media {MediaId} on {Provider} is discarded: the copy or the switch failed")]
    private partial void LogDiscarded(Exception exception, long mediaId, string storageKey, string provider);

    [LoggerMessage(Level = LogLevel.Error, Message = "Moving media {MediaId} ({StorageKey} on {Provider}) to {Target} failed: result=left where it was")]
    private partial void LogFailed(Exception exception, long mediaId, string storageKey, string provider, string target);
}
