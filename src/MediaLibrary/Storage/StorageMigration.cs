using MediaLibrary.Cleanup;
using MediaLibrary.Data;
using MediaLibrary.Media;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Storage;

public sealed class MigrationReport
{
    public int ToMove { get; set; }
    public long Bytes { get; set; }
    public int Moved { get; set; }
    public List<string> Failures { get; } = [];
}

/// <summary>
/// Moves every current file to another configured storage: copy under a new key, verify size and SHA-256 against
/// the row, switch the row, and queue the old copy's deletion through the cleanup path, one media at a time.
/// Rows already on the target are skipped, so an interrupted run simply runs again.
/// </summary>
public sealed partial class StorageMigration(MediaDbContext db, StorageRegistry storage, StorageCleanup cleanup, Imaging.Derivatives derivatives,
    Microsoft.Extensions.Caching.Memory.IMemoryCache deliveryCache, ILogger<StorageMigration> logger)
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

    private async Task<bool> MoveAsync(Media.Media row, IBlobStore to, CancellationToken ct)
    {
        var from = storage.Find(row.StorageProvider)
            ?? throw new StorageException(row.StorageProvider, row.StorageKey, $"The '{row.StorageProvider}' storage holding it is not configured.");
        var key = StorageKeys.Original(row.StorageId, StorageKeys.NewId());
        StoredBlob copy;
        string sha256;
        await using (var source = await from.OpenReadAsync(row.StorageKey, ct))
        await using (var hashing = new HashingStream(source, long.MaxValue))
        {
            copy = await to.UploadAsync(key, hashing, row.ContentType, ct);
            sha256 = hashing.Sha256;
        }
        LogCopied(row.Id, row.StorageKey, from.Provider, copy.Key, to.Provider);

        List<PendingDeletion> pending;
        try
        {
            if (sha256 != row.Sha256 || copy.Size != row.Size)
                throw new StorageException(to.Provider, copy.Key, $"The copy does not match: sha256 {sha256} and {copy.Size} bytes, the row says {row.Sha256} and {row.Size}.");
            var tracked = await db.Media.FirstOrDefaultAsync(m => m.Id == row.Id, ct);
            if (tracked is null || tracked.StorageKey != row.StorageKey)
                throw new InvalidOperationException("The media was replaced or deleted while it was copied; the copy is discarded.");
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            pending = [cleanup.Enqueue(row.Id, tracked.StorageKey, tracked.StorageProvider, "migrated")];
            tracked.StorageKey = copy.Key;
            tracked.StorageProvider = to.Provider;
            await db.SaveChangesAsync(ct); // the revision token refuses a row that changed since it was read
            // Renders of the old copy go too (the row is locked now); the new storage renders them afresh on request.
            pending.AddRange(await derivatives.RetireAsync(row.Id, "migrated", ct));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (Exception)
        {
            await cleanup.DeleteUncommittedAsync(row.Id, copy.Key, "migration-discarded", CancellationToken.None, to);
            throw;
        }
        FileDelivery.Forget(deliveryCache, row.Id, row.Version);
        LogSwitched(row.Id, copy.Key, to.Provider, row.StorageKey, row.StorageProvider);
        await cleanup.RunInlineAsync(pending, ct);
        db.ChangeTracker.Clear();
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Copied media {MediaId} from {StorageKey} on {Provider} to {NewStorageKey} on {NewProvider}: sha256 verified")]
    private partial void LogCopied(long mediaId, string storageKey, string provider, string newStorageKey, string newProvider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media {MediaId} now at {StorageKey} on {Provider}; old {OldStorageKey} on {OldProvider} queued for deletion")]
    private partial void LogSwitched(long mediaId, string storageKey, string provider, string oldStorageKey, string oldProvider);

    [LoggerMessage(Level = LogLevel.Error, Message = "Moving media {MediaId} ({StorageKey} on {Provider}) to {Target} failed: result=left where it was")]
    private partial void LogFailed(Exception exception, long mediaId, string storageKey, string provider, string target);
}

/// <summary><c>storage migrate --to PROVIDER [--apply]</c>: dry run by default.</summary>
public static class MigrateCli
{
    private const string Usage = """
        Usage:
          storage migrate --to local|s3|cloudinary [--apply]
            Copies every current file to that storage (which must be configured too), verifies its SHA-256,
            switches the row and deletes the old copy through the cleanup queue. Without --apply: a dry run.
            Safe to run again: files already there are skipped.
        """;

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var apply = args.Contains("--apply");
        var rest = args.Where(a => a != "--apply").ToArray();
        if (rest is not ["migrate", "--to", var target])
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }
        await using var scope = services.CreateAsyncScope();
        MigrationReport report;
        try
        {
            report = await scope.ServiceProvider.GetRequiredService<StorageMigration>().RunAsync(target, apply, ct);
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync("error: " + ex.Message);
            return 1;
        }
        foreach (var failure in report.Failures) await output.WriteLineAsync("failed\t" + failure);
        await output.WriteLineAsync(apply
            ? $"Moved {report.Moved} of {report.ToMove} files ({UploadLimits.FormatBytes(report.Bytes)}) to {target}; {report.Failures.Count} failed."
            : $"Dry run: {report.ToMove} files ({UploadLimits.FormatBytes(report.Bytes)}) would move to {target}. Run with --apply to move them.");
        return report.Failures.Count == 0 ? 0 : 1;
    }
}
