using MediaLibrary.Cleanup;
using MediaLibrary.Data;
using MediaLibrary.Media;
using MediaLibrary.Storage;
using MediaLibrary.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Uploads;

/// <summary>
/// Uploads in pieces (the tus protocol's resources): created with their length and fields, appended to at their
/// offset, finished through the media lifecycle on their last byte, terminated, or expired. The state is in the
/// database and the bytes in storage, so an upload resumes after a dropped connection, a restart, or on another node.
/// Before its storage holds a byte, an upload's key is an entry in the cleanup queue, due when the upload expires.
/// </summary>
public sealed partial class ResumableUploads(
    MediaDbContext db, StorageRegistry storage, CleanupQueue cleanup, MediaLifecycle lifecycle, IServiceScopeFactory scopes,
    IOptions<UploadOptions> options, IOptions<MediaOptions> media, TimeProvider time, ILogger<ResumableUploads> logger)
{
    private const int LeaseMinutes = 5;
    private readonly IBlobStore _store = storage.Active;
    private readonly UploadOptions _options = options.Value;

    public long MaxUploadBytes => media.Value.MaxUploadBytes;

    /// <summary>Whether the active storage takes uploads in pieces.</summary>
    public bool Available => _store.Resumable;

    private DateTime Now() => time.GetUtcNow().UtcDateTime;
    private DateTime Expiry(DateTime now) => now.AddHours(_options.ExpiryHours);

    /// <summary>The owner's upload of that kind (tus or direct), finished or not, unless it expired unfinished.</summary>
    public async Task<ResumableUpload?> FindAsync(string id, string owner, bool direct, CancellationToken ct)
    {
        var now = Now();
        return await db.ResumableUploads.AsNoTracking()
            .FirstOrDefaultAsync(u => u.Id == id && u.Owner == owner && u.Direct == direct && (u.MediaId != null || u.ExpiresAt > now), ct);
    }

    /// <summary>
    /// A new upload of <paramref name="length"/> bytes: checked against the size limit and the owner's limits, its
    /// fields checked as an upload's, its entry in the queue committed before its storage is asked for anything.
    /// </summary>
    public async Task<ResumableUpload> CreateAsync(string owner, long length, IReadOnlyDictionary<string, string> metadata, CancellationToken ct)
    {
        if (!Available)
            throw new ApiProblemException(StatusCodes.Status501NotImplemented, "Resumable uploads are not available with this storage.",
                $"The {_store.Provider} storage does not take uploads in pieces yet; send the file in one request to POST /api/media.");
        var (upload, _) = await StartAsync(owner, length, metadata, false, null,
            async (key, type, c) => { var id = await _store.BeginResumableAsync(key, type, c); return (id, id); }, ct);
        return upload;
    }

    /// <summary>
    /// A new direct upload: checked as a resumable one is, then begun in storage, which hands out a URL for each part.
    /// <paramref name="sha256"/>, when given, is what the stored bytes must hash to.
    /// </summary>
    public async Task<(ResumableUpload Upload, DirectUpload Target)> CreateDirectAsync(string owner, long length,
        IReadOnlyDictionary<string, string> metadata, string? sha256, CancellationToken ct)
    {
        if (!_store.DirectUploads)
            throw new ApiProblemException(StatusCodes.Status501NotImplemented, "Direct uploads are not available with this storage.",
                $"The {_store.Provider} storage takes no uploads from clients straight to it; use /api/uploads (tus) or POST /api/media.");
        if (sha256 is not null && (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigit)))
            throw RequestValidationException.For("sha256", "sha256 is the file's SHA-256 in hex (64 digits).");
        return await StartAsync(owner, length, metadata, true, sha256?.ToLowerInvariant(), async (key, type, c) =>
        {
            try
            {
                // Presigned URLs last at most 7 days (S3's signature version 4).
                var target = await _store.BeginDirectAsync(key, type, length, TimeSpan.FromHours(Math.Min(_options.ExpiryHours, 7 * 24)), c);
                return (target.UploadId, target);
            }
            catch (StorageException ex) when (ex.Permanent)
            {
                throw new ApiProblemException(StatusCodes.Status413PayloadTooLarge, "The file is too large for the storage's parts.", ex.Message);
            }
        }, ct);
    }

    private async Task<(ResumableUpload Upload, T Begun)> StartAsync<T>(string owner, long length, IReadOnlyDictionary<string, string> metadata,
        bool direct, string? expectedSha256, Func<string, string, CancellationToken, Task<(string UploadId, T Begun)>> begin, CancellationToken ct)
    {
        if (length > MaxUploadBytes) throw UploadLimits.TooLarge(MaxUploadBytes);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in (string[])["title", "alt_text", "folder_id", "tags"])
            if (metadata.TryGetValue(name, out var value)) fields[name] = value;
        MediaLifecycle.CheckUploadFields(fields);

        // The owner's uploads are counted and the new one added under the owner's lock, so that creations at the same
        // moment cannot all pass the limits (PostgreSQL: an advisory lock per owner; SQLite: one writer at a time).
        var now = Now();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (db.Database.IsNpgsql())
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({"uploads:" + owner}, 0))", ct);
        var pending = await db.ResumableUploads.Where(u => u.Owner == owner && u.MediaId == null && u.ExpiresAt > now)
            .GroupBy(_ => 1).Select(g => new { Count = g.Count(), Bytes = g.Sum(u => u.Length) }).FirstOrDefaultAsync(ct);
        if (pending is not null && pending.Count >= _options.MaxPending)
            throw new ApiProblemException(StatusCodes.Status429TooManyRequests, "Too many unfinished uploads.",
                $"You have {pending.Count} unfinished uploads; the limit is {_options.MaxPending} (MEDIALIB_UPLOAD_MAX_PENDING). Finish or terminate one first.",
                new Dictionary<string, object?> { ["max_pending"] = _options.MaxPending });
        if ((pending?.Bytes ?? 0) + length > _options.MaxPendingBytes)
            throw new ApiProblemException(StatusCodes.Status429TooManyRequests, "Too many bytes in unfinished uploads.",
                $"Your unfinished uploads announce {pending?.Bytes ?? 0} bytes, and this one {length} more; the limit is {_options.MaxPendingBytes} (MEDIALIB_UPLOAD_MAX_PENDING_BYTES).",
                new Dictionary<string, object?> { ["max_pending_bytes"] = _options.MaxPendingBytes });

        var storageId = StorageKeys.NewId();
        var key = StorageKeys.Original(storageId, StorageKeys.NewId());
        var entry = cleanup.Defer(null, key, _store.Provider);
        var upload = new ResumableUpload
        {
            Id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)),
            Owner = owner, Length = length, FileName = FileNames.Clean(metadata.GetValueOrDefault("filename")),
            Title = fields.GetValueOrDefault("title"), AltText = fields.GetValueOrDefault("alt_text"),
            FolderId = fields.GetValueOrDefault("folder_id"), Tags = fields.GetValueOrDefault("tags"),
            StorageId = storageId, StorageKey = key, Provider = _store.Provider, HashState = new ResumableSha256().Save(),
            CreatedAt = now, ExpiresAt = Expiry(now), Direct = direct, ExpectedSha256 = expectedSha256,
        };
        entry.NextAttemptAt = upload.ExpiresAt;
        db.ResumableUploads.Add(upload);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        upload.EntryId = entry.Id;
        T begun;
        try
        {
            (var storageUploadId, begun) = await begin(key, DeclaredType(metadata.GetValueOrDefault("filetype")), ct);
            upload.StorageUploadId = storageUploadId;
            entry.UploadId = storageUploadId;
            await db.SaveChangesAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Storage or the database failed: the upload is not made, and its entry removes whatever was begun.
            db.ChangeTracker.Clear();
            await db.ResumableUploads.Where(u => u.Id == upload.Id).ExecuteDeleteAsync(CancellationToken.None);
            await cleanup.DeleteUncommittedUploadAsync(entry, CancellationToken.None);
            throw;
        }
        db.ChangeTracker.Clear();
        LogCreated(upload.Id, owner, length, key, _store.Provider, upload.Direct ? "direct" : "tus");
        return (upload, begun);
    }

    /// <summary>
    /// Appends the body at <paramref name="offset"/>, which must be the upload's: one request at a time. What arrives is
    /// kept, also from a body cut short, unless it runs past the length or fails its checksum (<paramref name="checksum"/>,
    /// the piece's SHA-256). On the last byte the upload becomes media. Returns the upload as it is after the piece (with
    /// the media's id when it made one).
    /// </summary>
    public async Task<ResumableUpload> AppendAsync(ResumableUpload upload, long offset, Stream body,
        byte[]? checksum, CancellationToken ct)
    {
        if (upload.MediaId is not null || offset != upload.Offset)
            throw Conflict(upload, $"The upload is at offset {upload.Offset}; a piece must start there (Upload-Offset).");
        if (offset == upload.Length && await body.ReadAsync(new byte[1], ct) > 0)
            throw new ApiProblemException(StatusCodes.Status413PayloadTooLarge, "The piece was not kept.",
                $"The upload has all its {upload.Length} bytes; a piece at its end is empty.");
        var now = Now();
        var leaseUntil = now.AddMinutes(LeaseMinutes);
        var expires = Expiry(now);
        if (await db.ResumableUploads.Where(u => u.Id == upload.Id && u.Offset == offset && u.MediaId == null && (u.LeaseUntil == null || u.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.LeaseUntil, leaseUntil).SetProperty(u => u.ExpiresAt, expires), ct) == 0)
            throw Conflict(upload, "Another request is appending to this upload, or it moved on meanwhile; ask for its offset (HEAD) and go on from there.");
        await db.PendingDeletions.Where(p => p.Id == upload.EntryId).ExecuteUpdateAsync(s => s.SetProperty(p => p.NextAttemptAt, expires), ct);
        upload.ExpiresAt = expires;
        // Every byte is in and the media was not made (its last piece's answer was an outage): this request finishes it.
        if (offset == upload.Length) return await FinishLeasedAsync(upload, ct);

        var hash = ResumableSha256.Restore(upload.HashState);
        using var piece = new PieceStream(body, upload.Length - offset, hash, checksummed: checksum is not null);
        ResumableProgress progress;
        try
        {
            // Not on the request's token: a client that goes away ends its body, and what arrived is still written and recorded.
            await using (KeepLeased(upload.Id))
                progress = await _store.AppendResumableAsync(upload.StorageKey, upload.StorageUploadId!, offset, upload.StorageState, piece, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The storage failed: nothing is recorded, and the next piece starts over at the offset.
            LogAppendFailed(ex, upload.Id, offset, upload.StorageKey, upload.Provider);
            await db.ResumableUploads.Where(u => u.Id == upload.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.LeaseUntil, (DateTime?)null), CancellationToken.None);
            throw;
        }
        // Recorded only when the bytes stored are the bytes hashed and checked; otherwise the next piece starts over at the
        // offset recorded (the storage drops what lies past it). A checksummed piece cut short cannot be checked: dropped.
        var length = progress.Length;
        var problem = piece.TooLong ? "more bytes than Upload-Length announced"
            : length - offset != piece.BytesRead ? "a piece that was not stored whole"
            : checksum is not null && !piece.Aborted && !piece.ChecksumMatches(checksum) ? "checksum"
            : null;
        var kept = problem is null && !(checksum is not null && piece.Aborted);
        var newOffset = kept ? length : offset;
        var state = kept ? hash.Save() : upload.HashState;
        var storageState = kept ? progress.State : upload.StorageState;
        // The lease stays while the last piece makes the media.
        var finishing = newOffset == upload.Length && problem is null && !piece.Aborted;
        await db.ResumableUploads.Where(u => u.Id == upload.Id && u.LeaseUntil != null)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.Offset, newOffset).SetProperty(u => u.HashState, state).SetProperty(u => u.StorageState, storageState)
                .SetProperty(u => u.LeaseUntil, finishing ? (DateTime?)leaseUntil : null), CancellationToken.None);
        LogAppended(upload.Id, offset, newOffset, upload.Length, upload.StorageKey, upload.Provider,
            problem ?? (piece.Aborted ? (kept ? "cut short, kept" : "cut short, dropped") : "stored"));
        (upload.Offset, upload.HashState, upload.StorageState, upload.ExpiresAt) = (newOffset, state, storageState, expires);
        if (problem == "checksum")
            throw new ApiProblemException(460, "Checksum mismatch.", "The piece's SHA-256 is not the one Upload-Checksum names; it was not kept. Send it again.");
        if (problem is not null)
            throw new ApiProblemException(piece.TooLong ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
                "The piece was not kept.", $"The request carried {problem}; the upload stays at offset {offset}.");
        if (piece.Aborted) throw new OperationCanceledException("The client's body ended before its length.");
        return finishing ? await FinishLeasedAsync(upload, ct) : upload;
    }

    /// <summary>Makes the media of an upload this request holds the lease of, and lets the lease go whatever happens.</summary>
    private async Task<ResumableUpload> FinishLeasedAsync(ResumableUpload upload, CancellationToken ct)
    {
        var sha256 = ResumableSha256.Restore(upload.HashState).HexDigest();
        return await FinishLeasedAsync(upload, c => _store.CompleteResumableAsync(upload.StorageKey, upload.StorageUploadId!, upload.Length, upload.StorageState, c),
            sha256, ct);
    }

    private async Task<ResumableUpload> FinishLeasedAsync(ResumableUpload upload, Func<CancellationToken, Task<StoredBlob>> complete, string? sha256, CancellationToken ct)
    {
        try
        {
            // Renewed while the storage completes and the bytes are read: a large file's checks outlast one lease, and a
            // second request must not make a second media of the same bytes meanwhile.
            await using (KeepLeased(upload.Id))
                await FinishAsync(upload, complete, sha256, ct);
            return upload;
        }
        finally
        {
            db.ChangeTracker.Clear();
            await db.ResumableUploads.Where(u => u.Id == upload.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.LeaseUntil, (DateTime?)null), CancellationToken.None);
        }
    }

    /// <summary>The bytes are whole: the media, through the lifecycle; the upload remembers it (for a client that asks again).</summary>
    private async Task FinishAsync(ResumableUpload upload, Func<CancellationToken, Task<StoredBlob>> complete, string? sha256, CancellationToken ct)
    {
        var entry = await db.PendingDeletions.FirstOrDefaultAsync(p => p.Id == upload.EntryId, ct)
            ?? throw new ApiProblemException(StatusCodes.Status410Gone, "The upload is gone.", "The upload expired or was terminated meanwhile.");
        var tracked = db.ResumableUploads.Attach(upload).Entity;
        try
        {
            var result = await lifecycle.CreateFromStagedAsync(upload.StorageId, upload.StorageKey, complete, upload.FileName, sha256,
                upload.ExpectedSha256, upload.Length, upload.Fields(), entry, m => tracked.MediaId = m.Id, ct);
            LogFinished(upload.Id, result.Media.Id, upload.StorageKey, upload.Provider, result.Media.Sha256);
        }
        catch (Exception ex) when (ex is ApiProblemException or RequestValidationException)
        {
            // Refused: the entry deleted the bytes; the upload is over.
            db.ChangeTracker.Clear();
            await db.ResumableUploads.Where(u => u.Id == upload.Id).ExecuteDeleteAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// The client says it sent a direct upload's parts (their ETags, in order): the storage makes them the object, and
    /// the media is made from it after its size, type and SHA-256 are checked against what was announced. Parts the
    /// storage does not know, or bytes that fail a check, are refused and deleted. Asked again once finished, it answers
    /// with the same media.
    /// </summary>
    public async Task<ResumableUpload> CompleteDirectAsync(ResumableUpload upload, IReadOnlyList<string> etags, CancellationToken ct)
    {
        if (upload.MediaId is not null) return upload;
        if (etags.Count == 0 && _store.DirectUploadsNameParts)
            throw RequestValidationException.For("etags", "etags are the ETag each part's PUT answered with, one per part URL, in order.");
        var now = Now();
        if (await db.ResumableUploads.Where(u => u.Id == upload.Id && u.MediaId == null && (u.LeaseUntil == null || u.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.LeaseUntil, now.AddMinutes(LeaseMinutes)), ct) == 0)
            throw new ApiProblemException(StatusCodes.Status409Conflict, "The upload is being completed.", "Another request is completing this upload; ask again shortly.");
        return await FinishLeasedAsync(upload, async c =>
        {
            try
            {
                return await _store.CompleteDirectAsync(upload.StorageKey, upload.StorageUploadId!, etags, c);
            }
            catch (StorageException ex) when (ex.Permanent)
            {
                throw new ApiProblemException(StatusCodes.Status422UnprocessableEntity, "The storage does not hold the upload's file.",
                    _store.DirectUploadsNameParts
                        ? "The storage does not hold the parts named (each part's ETag, in the order of the URLs); the upload was deleted, begin a new one."
                        : $"The {_store.Provider} storage holds no whole file for this upload; the upload was deleted, begin a new one.");
            }
        }, null, ct);
    }

    /// <summary>Terminates an unfinished upload: its bytes leave storage through its entry, now. A finished one is only forgotten.</summary>
    public async Task TerminateAsync(ResumableUpload upload, CancellationToken ct)
    {
        if (upload.MediaId is null && await db.PendingDeletions.AsNoTracking().FirstOrDefaultAsync(p => p.Id == upload.EntryId, ct) is { } entry)
            await cleanup.DeleteUncommittedUploadAsync(entry, ct);
        await db.ResumableUploads.Where(u => u.Id == upload.Id).ExecuteDeleteAsync(ct);
        LogTerminated(upload.Id, upload.Offset, upload.Length, upload.StorageKey, upload.Provider);
    }

    /// <summary>
    /// The type a client declared (tus clients send <c>filetype</c>), for the storage to begin with; anything not shaped
    /// like a media type is octet-stream. The bytes decide at the end, and the storage is corrected where they disagree.
    /// </summary>
    internal static string DeclaredType(string? filetype)
    {
        var type = filetype?.Split(';')[0].Trim().ToLowerInvariant();
        return type is not null && DeclaredTypePattern().IsMatch(type) ? type : "application/octet-stream";
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$")]
    private static partial System.Text.RegularExpressions.Regex DeclaredTypePattern();

    private static ApiProblemException Conflict(ResumableUpload upload, string detail) =>
        new(StatusCodes.Status409Conflict, "The upload is not at that offset.", detail, new Dictionary<string, object?> { ["offset"] = upload.Offset });

    /// <summary>Renews the append's lease on a connection of its own while a long piece streams in.</summary>
    private PeriodicRenewal KeepLeased(string id) => new(async ct =>
    {
        await using var scope = scopes.CreateAsyncScope();
        var until = Now().AddMinutes(LeaseMinutes);
        await scope.ServiceProvider.GetRequiredService<MediaDbContext>().ResumableUploads.Where(u => u.Id == id && u.LeaseUntil != null)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LeaseUntil, until), ct);
    }, TimeSpan.FromMinutes(1), time, ex => LogLeaseRenewalFailed(ex, id));

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumable upload {UploadId} created by {Owner}: {Length} bytes to {StorageKey} on {Provider} ({Kind})")]
    private partial void LogCreated(string uploadId, string owner, long length, string storageKey, string provider, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumable upload {UploadId}: piece at {Offset}, now at {NewOffset} of {Length} ({StorageKey} on {Provider}): {Result}")]
    private partial void LogAppended(string uploadId, long offset, long newOffset, long length, string storageKey, string provider, string result);

    [LoggerMessage(Level = LogLevel.Error, Message = "Resumable upload {UploadId}: the piece at {Offset} could not be stored ({StorageKey} on {Provider}); the upload stays there")]
    private partial void LogAppendFailed(Exception exception, string uploadId, long offset, string storageKey, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumable upload {UploadId} finished as media {MediaId} ({StorageKey} on {Provider}, sha256 {Sha256})")]
    private partial void LogFinished(string uploadId, long mediaId, string storageKey, string provider, string sha256);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resumable upload {UploadId}: renewing its lease failed; the next renewal tries again")]
    private partial void LogLeaseRenewalFailed(Exception exception, string uploadId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumable upload {UploadId} terminated at {Offset} of {Length} bytes ({StorageKey} on {Provider})")]
    private partial void LogTerminated(string uploadId, long offset, long length, string storageKey, string provider);
}
