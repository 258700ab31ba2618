using MediaLibrary.Data;
using MediaLibrary.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Cleanup;

/// <summary>
/// The durable queue of work that must happen after a commit, and the only code path that deletes stored objects.
/// Callers enqueue entries in the same transaction that drops the reference, then ask for an inline attempt; whatever
/// fails stays for <see cref="CleanupWorker"/>. Each entry is carried out by the <see cref="ICleanupHandler"/> of its
/// kind: a configured storage's object deletion, or a kind a feature registered (a cache purge).
/// </summary>
public sealed partial class CleanupQueue(
    MediaDbContext db, StorageRegistry storage, IEnumerable<ICleanupHandler> handlers, TimeProvider time,
    IOptions<CleanupOptions> options, CleanupMetrics metrics, IServiceScopeFactory scopes, ILogger<CleanupQueue> logger)
{
    /// <summary>The reason of an upload's own entry: the object it is writing, should it never commit.</summary>
    public const string UploadReason = "upload";

    /// <summary>A span per attempt, inline (under the request that queued it) or in a worker pass.</summary>
    public static readonly System.Diagnostics.ActivitySource Activities = new("MediaLibrary.Cleanup");

    private readonly CleanupOptions _options = options.Value;
    private readonly Dictionary<string, ICleanupHandler> _handlers = storage.All.Select(s => (ICleanupHandler)new BlobDeletion(s))
        .Concat(handlers).ToDictionary(h => h.Kind, StringComparer.Ordinal);
    private readonly List<string> _ownWorkers = handlers.Where(h => h.HasOwnWorker).Select(h => h.Kind).ToList();

    /// <summary>
    /// Adds a pending deletion to the context; the caller's SaveChanges commits it with the row change. The entry
    /// starts leased so that no worker races the inline attempt that follows the commit.
    /// </summary>
    public PendingDeletion Enqueue(long? mediaId, string key, string provider, string reason)
    {
        var now = Now();
        var entry = new PendingDeletion
        {
            MediaId = mediaId, StorageKey = key, Provider = provider, Reason = reason,
            CreatedAt = now, NextAttemptAt = now, LeaseUntil = now.AddSeconds(_options.LeaseSeconds),
        };
        db.PendingDeletions.Add(entry);
        LogEnqueued(WorkOf(provider), mediaId, key, provider, reason);
        return entry;
    }

    /// <summary>
    /// Before an upload's first byte: records the key it is about to write as a pending deletion that falls due after
    /// the grace period, committed at once. The transaction that commits the row cancels it (<see cref="Cancel"/>);
    /// after a crash or a failed commit it falls due and deletes the object and what the unfinished upload left. When
    /// it cannot be written (the database is down) this throws, and the upload is refused before anything is stored.
    /// </summary>
    public async Task<PendingDeletion> DeferAsync(long? mediaId, string key, string provider, CancellationToken ct)
    {
        var entry = Defer(mediaId, key, provider);
        await db.SaveChangesAsync(ct);
        return entry;
    }

    /// <summary>The same, added to the context: the caller's SaveChanges commits it with what it records (a render's claim).</summary>
    public PendingDeletion Defer(long? mediaId, string key, string provider)
    {
        var now = Now();
        var entry = new PendingDeletion
        {
            MediaId = mediaId, StorageKey = key, Provider = provider, Reason = UploadReason,
            CreatedAt = now, NextAttemptAt = now.AddSeconds(_options.UploadGraceSeconds),
        };
        db.PendingDeletions.Add(entry);
        LogDeferred(mediaId, key, provider, _options.UploadGraceSeconds);
        return entry;
    }

    /// <summary>Records what the upload leaves while under way (a multipart upload's id, a temporary file), on its own connection.</summary>
    public async Task RecordUploadIdAsync(PendingDeletion entry, string uploadId, CancellationToken ct)
    {
        entry.UploadId = uploadId;
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<MediaDbContext>().PendingDeletions.Where(p => p.Id == entry.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.UploadId, uploadId), ct);
    }

    /// <summary>
    /// The storage stored the upload under a key of its own making (Cloudinary's locator): the entry must name that one
    /// to delete it.
    /// </summary>
    public async Task RekeyAsync(PendingDeletion entry, string key, CancellationToken ct)
    {
        if (entry.StorageKey == key) return;
        await db.PendingDeletions.Where(p => p.Id == entry.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.StorageKey, key), ct);
        entry.StorageKey = key;
        // The row has it already: a later SaveChanges must not write it again.
        if (db.ChangeTracker.Entries<PendingDeletion>().FirstOrDefault(e => ReferenceEquals(e.Entity, entry)) is { } tracked)
            tracked.Property(p => p.StorageKey).OriginalValue = key;
    }

    /// <summary>
    /// While the upload runs: pushes its entry's due time on every quarter of the grace period, on a connection of its
    /// own (the request's is busy), so that a long upload is never taken for a dead one. A failed push is logged.
    /// </summary>
    public IAsyncDisposable KeepAlive(PendingDeletion entry)
    {
        var grace = TimeSpan.FromSeconds(_options.UploadGraceSeconds);
        return new PeriodicRenewal(async ct =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var due = Now() + grace;
            await scope.ServiceProvider.GetRequiredService<MediaDbContext>().PendingDeletions
                .Where(p => p.Id == entry.Id && p.LeaseUntil == null)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.NextAttemptAt, due), ct);
        }, grace / 4, time, ex => LogKeepAliveFailed(ex, entry.MediaId, entry.StorageKey, entry.Provider));
    }

    /// <summary>
    /// In the transaction that commits the upload's row: removes its entry. Refused (a concurrency conflict, so the
    /// commit fails) when a worker holds it, since that worker may be deleting the object.
    /// </summary>
    public void Cancel(PendingDeletion entry)
    {
        var tracked = db.PendingDeletions.Local.FirstOrDefault(p => p.Id == entry.Id) ?? db.PendingDeletions.Attach(entry).Entity;
        db.PendingDeletions.Remove(tracked);
    }

    /// <summary>
    /// In the caller's transaction, at once: removes an upload's entry unless a worker holds it (it may be deleting the
    /// object); false then, and the caller must not commit what refers to the object.
    /// </summary>
    public async Task<bool> CancelNowAsync(PendingDeletion entry, CancellationToken ct)
    {
        var now = Now();
        return await db.PendingDeletions.Where(p => p.Id == entry.Id).Where(Unleased(now)).ExecuteDeleteAsync(ct) == 1;
    }

    /// <summary>
    /// The upload did not commit: its entry falls due now and is attempted at once, unless it is gone (the commit
    /// landed after all) or a worker holds it. When even that cannot be recorded, it falls due after its grace period.
    /// </summary>
    public async Task DeleteUncommittedUploadAsync(PendingDeletion entry, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var now = Now();
        var lease = now.AddSeconds(_options.LeaseSeconds);
        int claimed;
        try
        {
            claimed = await db.PendingDeletions
                .Where(p => p.Id == entry.Id).Where(Unleased(now))
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.LeaseUntil, lease).SetProperty(p => p.NextAttemptAt, now), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogUncommittedLeftToGrace(ex, entry.MediaId, entry.StorageKey, entry.Provider);
            return;
        }
        if (claimed == 0)
        {
            LogUncommittedKept(entry.MediaId, entry.StorageKey, entry.Provider);
            return;
        }
        entry.LeaseUntil = lease;
        await RunInlineAsync([entry], ct);
    }

    /// <summary>
    /// Tries committed entries right away, on the caller's time. It never fails the caller: the change is committed, so
    /// whatever goes wrong here is logged and left to the worker.
    /// </summary>
    public async Task RunInlineAsync(IEnumerable<PendingDeletion> entries, CancellationToken ct)
    {
        foreach (var entry in entries)
        {
            try
            {
                await AttemptAsync(entry, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogInlineFailed(ex, entry.MediaId, entry.StorageKey, entry.Provider);
                await ReleaseAsync(entry);
            }
        }
    }

    /// <summary>Hands an entry to the next worker pass now instead of when its lease runs out; a failure only logs.</summary>
    private async Task ReleaseAsync(PendingDeletion entry)
    {
        try
        {
            var now = Now();
            await db.PendingDeletions.Where(p => p.Id == entry.Id && p.Status == PendingDeletionStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.LeaseUntil, (DateTime?)null).SetProperty(p => p.NextAttemptAt, now), CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogReleaseFailed(ex, entry.MediaId, entry.StorageKey, entry.Provider);
        }
    }

    /// <summary>Pending and held by no one at <paramref name="now"/>: what a conditional update may claim.</summary>
    private static System.Linq.Expressions.Expression<Func<PendingDeletion, bool>> Unleased(DateTime now) =>
        p => p.Status == PendingDeletionStatus.Pending && (p.LeaseUntil == null || p.LeaseUntil < now);

    /// <summary>
    /// One worker pass: claims due entries one by one and attempts them. Returns how many were attempted. With
    /// <paramref name="kind"/>, only that kind's entries; without, every kind but those with a worker of their own.
    /// </summary>
    public async Task<int> ProcessDueAsync(int batchSize, string? kind, CancellationToken ct)
    {
        var attempted = 0;
        foreach (var entry in await DueAsync(batchSize, kind, null, null, ct))
            if (await TryAttemptAsync(entry, ct)) attempted++;
        return attempted;
    }

    /// <summary>
    /// Entries due now and held by no one, oldest due first (of <paramref name="kind"/>, or as <see cref="ProcessDueAsync"/>).
    /// With <paramref name="keyPrefix"/> (one webhook endpoint's), only the entries whose key starts with it, in order per
    /// media: an entry is not due while an earlier one under the prefix for the same media is pending (even one a worker
    /// holds, or one waiting for its retry), so a receiver sees a media's changes in the order they were made. Waiting
    /// costs no write, and the entry is due the moment the one before it is done or dead. Entries of no media whose
    /// reason starts with <paramref name="inSequence"/> (the folder tree's events) wait the same way for every earlier one
    /// of them under the prefix.
    /// </summary>
    public async Task<List<PendingDeletion>> DueAsync(int batchSize, string? kind, string? keyPrefix, string? inSequence, CancellationToken ct)
    {
        var now = Now();
        var query = db.PendingDeletions.AsNoTracking().Where(Unleased(now)).Where(p => p.NextAttemptAt <= now);
        if (kind is not null) query = query.Where(p => p.Provider == kind);
        else if (_ownWorkers.Count > 0) query = query.Where(p => !_ownWorkers.Contains(p.Provider));
        if (keyPrefix is not null)
        {
            query = query.Where(p => p.StorageKey.StartsWith(keyPrefix)).Where(p => p.MediaId == null || !db.PendingDeletions.Any(q =>
                q.MediaId == p.MediaId && q.Id < p.Id && q.Provider == p.Provider && q.Status == PendingDeletionStatus.Pending && q.StorageKey.StartsWith(keyPrefix)));
            if (inSequence is not null)
                query = query.Where(p => p.MediaId != null || !p.Reason.StartsWith(inSequence) || !db.PendingDeletions.Any(q =>
                    q.MediaId == null && q.Reason.StartsWith(inSequence) && q.Id < p.Id && q.Provider == p.Provider
                    && q.Status == PendingDeletionStatus.Pending && q.StorageKey.StartsWith(keyPrefix)));
        }
        return await query.OrderBy(p => p.NextAttemptAt).ThenBy(p => p.Id).Take(batchSize).ToListAsync(ct);
    }

    /// <summary>Claims a due entry (false when another worker or node has it, or it is no longer due) and attempts it.</summary>
    public async Task<bool> TryAttemptAsync(PendingDeletion entry, CancellationToken ct) => await TryAttemptAsync([entry], ct) == 1;

    /// <summary>
    /// Claims the due entries with one conditional update and attempts them one after another, recording their outcomes
    /// together: in one transaction once the batch is done, or sooner when an attempt took long (a receiver that hangs), so
    /// that a batch of quick attempts costs two commits however many it holds. Returns how many it claimed (of several
    /// nodes, each entry goes to exactly one). Cancelled, it records what it did and hands back what it did not start.
    /// </summary>
    public async Task<int> TryAttemptAsync(IReadOnlyList<PendingDeletion> due, CancellationToken ct)
    {
        if (due.Count == 0) return 0;
        var now = Now();
        // A lease of this pass's own, to the microsecond a database keeps: the entries that carry it are the ones it claimed.
        var ticks = now.AddSeconds(_options.LeaseSeconds).Ticks + Random.Shared.Next(1, 100_000) * 10L;
        var leaseUntil = new DateTime(ticks, DateTimeKind.Utc);
        var ids = due.Select(e => e.Id).ToList();
        var claimed = await db.PendingDeletions
            .Where(p => ids.Contains(p.Id) && p.NextAttemptAt <= now).Where(Unleased(now))
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.LeaseUntil, leaseUntil), ct);
        if (claimed == 0) return 0;
        var mine = due;
        if (claimed != due.Count)
        {
            var held = await db.PendingDeletions.AsNoTracking().Where(p => ids.Contains(p.Id) && p.LeaseUntil == leaseUntil).Select(p => p.Id).ToListAsync(ct);
            mine = due.Where(e => held.Contains(e.Id)).ToList();
        }

        var done = new List<Attempt>();
        var claimedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        var since = claimedAt;
        var started = 0;
        try
        {
            // Slow attempts stop the batch at half the lease, long before another node could take its entries over.
            while (started < mine.Count && System.Diagnostics.Stopwatch.GetElapsedTime(claimedAt).TotalSeconds < _options.LeaseSeconds / 2.0)
            {
                done.Add(await ExecuteAsync(mine[started++], ct));
                if (System.Diagnostics.Stopwatch.GetElapsedTime(since) < RecordAfter) continue;
                await RecordAsync(done, []);
                done.Clear();
                since = System.Diagnostics.Stopwatch.GetTimestamp();
            }
        }
        finally
        {
            // An attempt that was cancelled keeps its lease (it may have been carried out); those never started are released.
            await RecordAsync(done, mine.Skip(started).ToList());
        }
        return started;
    }

    /// <summary>What the log calls carrying out an entry of the kind ("Carrying out" for a kind nothing here handles).</summary>
    private string WorkOf(string kind) => _handlers.GetValueOrDefault(kind)?.Work ?? "Carrying out";

    /// <summary>How long a batch's outcomes may wait to be recorded.</summary>
    private static readonly TimeSpan RecordAfter = TimeSpan.FromMilliseconds(250);

    /// <summary>One attempt's outcome, waiting to be recorded: <see cref="Error"/> null when the work is done.</summary>
    private sealed record Attempt(PendingDeletion Entry, ICleanupHandler? Handler, int Number, Exception? Error, bool Dead, DateTime NextAt);

    private async Task AttemptAsync(PendingDeletion entry, CancellationToken ct) => await RecordAsync([await ExecuteAsync(entry, ct)], []);

    private async Task<Attempt> ExecuteAsync(PendingDeletion entry, CancellationToken ct)
    {
        var attempt = entry.Attempts + 1;
        using var activity = Activities.StartActivity($"cleanup {entry.Provider}");
        activity?.SetTag("medialibrary.media_id", entry.MediaId).SetTag("medialibrary.storage_key", entry.StorageKey)
            .SetTag("medialibrary.provider", entry.Provider).SetTag("medialibrary.attempt", attempt).SetTag("medialibrary.reason", entry.Reason);
        var handler = _handlers.GetValueOrDefault(entry.Provider);
        LogAttempting(WorkOf(entry.Provider), entry.MediaId, entry.StorageKey, entry.Provider, attempt, entry.Reason);
        try
        {
            if (handler is null)
                throw new StorageException(entry.Provider, entry.StorageKey, $"Nothing on this node carries out '{entry.Provider}' entries: no such storage or service is configured here.");
            await handler.ExecuteAsync(entry, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down or the caller left: the lease runs out and a worker takes the entry over.
            LogAttemptCancelled(WorkOf(entry.Provider), entry.MediaId, entry.StorageKey, entry.Provider, attempt);
            metrics.Attempted(entry.Provider, "cancelled");
            throw;
        }
        catch (Exception ex)
        {
            var dead = ex is StorageException { Permanent: true } || attempt >= _options.MaxAttempts;
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message).SetTag("medialibrary.result", dead ? "dead" : "retry");
            return new Attempt(entry, handler, attempt, ex, dead, Now() + Backoff(attempt));
        }
        activity?.SetTag("medialibrary.result", "ok");
        return new Attempt(entry, handler, attempt, null, false, default);
    }

    /// <summary>
    /// Records attempts in one transaction: a done entry goes (the object is gone; only now may the entry go), a failed
    /// one counts the attempt and waits for its retry or is dead, and <paramref name="release"/> is handed back. Each
    /// handler writes what its attempt learned in the same transaction. CancellationToken.None: outcomes must be recorded.
    /// </summary>
    private async Task RecordAsync(IReadOnlyList<Attempt> attempts, IReadOnlyList<PendingDeletion> release)
    {
        if (attempts.Count == 0 && release.Count == 0) return;
        try
        {
            // Inside a caller's transaction the outcomes commit with it instead.
            await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(CancellationToken.None) : null;
            foreach (var a in attempts)
            {
                if (a.Handler is not null) await a.Handler.RecordOutcomeAsync(a.Entry);
                if (a.Error is null)
                {
                    await db.PendingDeletions.Where(p => p.Id == a.Entry.Id).ExecuteDeleteAsync(CancellationToken.None);
                    continue;
                }
                var message = Describe(a.Error);
                var status = a.Dead ? PendingDeletionStatus.Dead : PendingDeletionStatus.Pending;
                await db.PendingDeletions.Where(p => p.Id == a.Entry.Id).ExecuteUpdateAsync(s => s
                    .SetProperty(p => p.Attempts, a.Number)
                    .SetProperty(p => p.NextAttemptAt, a.NextAt)
                    .SetProperty(p => p.LeaseUntil, (DateTime?)null)
                    .SetProperty(p => p.LastError, message)
                    .SetProperty(p => p.Status, status), CancellationToken.None);
            }
            var released = release.Select(e => e.Id).ToList();
            if (released.Count > 0)
                await db.PendingDeletions.Where(p => released.Contains(p.Id) && p.Status == PendingDeletionStatus.Pending)
                    .ExecuteUpdateAsync(s => s.SetProperty(p => p.LeaseUntil, (DateTime?)null), CancellationToken.None);
            if (tx is not null) await tx.CommitAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            foreach (var a in attempts)
            {
                if (a.Error is null)
                {
                    // Done but not recorded: the entry comes round again (a missing object is a success) and goes then. It
                    // is released for that at once where the database lets us; otherwise its lease runs out first.
                    LogDoneNotRecorded(ex, WorkOf(a.Entry.Provider), a.Entry.MediaId, a.Entry.StorageKey, a.Entry.Provider, a.Number);
                    metrics.Attempted(a.Entry.Provider, "retry");
                    await ReleaseAsync(a.Entry);
                }
                else
                {
                    // The entry keeps its lease, which expires; the attempt is then simply made again.
                    LogRecordFailed(ex, a.Entry.MediaId, a.Entry.StorageKey, a.Entry.Provider);
                    Failed(a);
                }
            }
            return;
        }
        foreach (var a in attempts)
        {
            if (a.Error is not null)
            {
                Failed(a);
                continue;
            }
            metrics.Attempted(a.Entry.Provider, "ok");
            LogDone(WorkOf(a.Entry.Provider), a.Entry.MediaId, a.Entry.StorageKey, a.Entry.Provider, a.Number);
        }
    }

    private void Failed(Attempt a)
    {
        var entry = a.Entry;
        entry.Attempts = a.Number;
        entry.LastError = Describe(a.Error!);
        entry.Status = a.Dead ? PendingDeletionStatus.Dead : PendingDeletionStatus.Pending;
        metrics.Attempted(entry.Provider, a.Dead ? "dead" : "retry");
        if (a.Dead) LogDead(a.Error!, WorkOf(entry.Provider), entry.MediaId, entry.StorageKey, entry.Provider, a.Number, a.Error is StorageException { Permanent: true });
        else LogFailed(a.Error!, WorkOf(entry.Provider), entry.MediaId, entry.StorageKey, entry.Provider, a.Number, a.NextAt);
    }

    private static string Describe(Exception ex)
    {
        var message = $"{ex.GetType().Name}: {ex.Message}";
        return message.Length > 2000 ? message[..2000] : message;
    }

    /// <summary>What is still to be deleted, oldest first, for operators.</summary>
    public async Task<DeletionBacklog> GetBacklogAsync(PendingDeletionStatus? status, int limit, CancellationToken ct)
    {
        var counts = await db.PendingDeletions.GroupBy(p => p.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(ct);
        var oldest = await db.PendingDeletions.Where(p => p.Status == PendingDeletionStatus.Pending)
            .OrderBy(p => p.CreatedAt).Select(p => (DateTime?)p.CreatedAt).FirstOrDefaultAsync(ct);
        var query = db.PendingDeletions.AsNoTracking();
        if (status is not null) query = query.Where(p => p.Status == status);
        var entries = limit > 0 ? await query.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).Take(limit).ToListAsync(ct) : [];
        return new DeletionBacklog(
            counts.FirstOrDefault(c => c.Status == PendingDeletionStatus.Pending)?.Count ?? 0,
            counts.FirstOrDefault(c => c.Status == PendingDeletionStatus.Dead)?.Count ?? 0,
            oldest is null ? null : Now() - oldest.Value,
            entries);
    }

    public Task<PendingDeletion?> FindAsync(long id, CancellationToken ct) =>
        db.PendingDeletions.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);

    /// <summary>Puts an entry (dead or waiting) back in line for an attempt now, with a fresh attempt count.</summary>
    public async Task<PendingDeletion?> RetryAsync(long id, CancellationToken ct)
    {
        var now = Now();
        var changed = await db.PendingDeletions.Where(p => p.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(p => p.Status, PendingDeletionStatus.Pending)
            .SetProperty(p => p.Attempts, 0)
            .SetProperty(p => p.NextAttemptAt, now)
            .SetProperty(p => p.LeaseUntil, (DateTime?)null), ct);
        if (changed == 0) return null;
        var entry = await db.PendingDeletions.AsNoTracking().SingleAsync(p => p.Id == id, ct);
        LogRetryRequested(entry.MediaId, entry.StorageKey, entry.Provider);
        return entry;
    }

    private TimeSpan Backoff(int attempt)
    {
        var seconds = Math.Min(_options.BaseDelaySeconds * Math.Pow(2, Math.Min(attempt - 1, 20)), 3600);
        return TimeSpan.FromSeconds(seconds * (0.8 + 0.4 * Random.Shared.NextDouble()));
    }

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Work} {StorageKey} of media {MediaId} on {Provider} succeeded on attempt {Attempt}, but the entry could not be removed: result=ok-unrecorded; it comes round again")]
    private partial void LogDoneNotRecorded(Exception exception, string work, long? mediaId, string storageKey, string provider, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload of {StorageKey} (media {MediaId}) to {Provider} recorded before its first byte: deleted in {GraceSeconds} s unless it commits")]
    private partial void LogDeferred(long? mediaId, string storageKey, string provider, int graceSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushing the due time of the upload of {StorageKey} (media {MediaId}, {Provider}) failed; it is tried again")]
    private partial void LogKeepAliveFailed(Exception exception, long? mediaId, string storageKey, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The upload of {StorageKey} (media {MediaId}, {Provider}) did not commit and its entry could not be brought forward: it falls due after its grace period")]
    private partial void LogUncommittedLeftToGrace(Exception exception, long? mediaId, string storageKey, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handing {StorageKey} (media {MediaId}, {Provider}) to the next pass failed; it is retried when its lease expires")]
    private partial void LogReleaseFailed(Exception exception, long? mediaId, string storageKey, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inline attempt for {StorageKey} of media {MediaId} on {Provider} failed after the commit; left to the worker")]
    private partial void LogInlineFailed(Exception exception, long? mediaId, string storageKey, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deletion of {StorageKey} (media {MediaId}, {Provider}) put back in line by an operator")]
    private partial void LogRetryRequested(long? mediaId, string storageKey, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued for media {MediaId}: {Work} {StorageKey} on {Provider} ({Reason})")]
    private partial void LogEnqueued(string work, long? mediaId, string storageKey, string provider, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Work} {StorageKey} of media {MediaId} on {Provider}, attempt {Attempt} ({Reason})")]
    private partial void LogAttempting(string work, long? mediaId, string storageKey, string provider, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Work} {StorageKey} of media {MediaId} on {Provider} succeeded on attempt {Attempt}: result=ok")]
    private partial void LogDone(string work, long? mediaId, string storageKey, string provider, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Work} {StorageKey} of media {MediaId} on {Provider} failed on attempt {Attempt}: result=retry at {NextAttemptAt:o}")]
    private partial void LogFailed(Exception exception, string work, long? mediaId, string storageKey, string provider, int attempt, DateTime nextAttemptAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Work} {StorageKey} of media {MediaId} on {Provider} failed on attempt {Attempt}: result=dead (permanent={Permanent}); it stays listed until resolved")]
    private partial void LogDead(Exception exception, string work, long? mediaId, string storageKey, string provider, int attempt, bool permanent);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Work} {StorageKey} of media {MediaId} on {Provider}, attempt {Attempt}, was cancelled; a worker takes it over when the lease expires")]
    private partial void LogAttemptCancelled(string work, long? mediaId, string storageKey, string provider, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording the failed deletion of {StorageKey} (media {MediaId}, {Provider}) failed; it is retried when its lease expires")]
    private partial void LogRecordFailed(Exception exception, long? mediaId, string storageKey, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Uncommitted object {StorageKey} of media {MediaId} on {Provider}: its entry is gone (the commit landed after all) or a worker holds it: result=left to that")]
    private partial void LogUncommittedKept(long? mediaId, string storageKey, string provider);
}
