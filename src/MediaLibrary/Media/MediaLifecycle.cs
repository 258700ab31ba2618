using MediaLibrary.Cleanup;
using MediaLibrary.Data;
using MediaLibrary.Imaging;
using MediaLibrary.Storage;
using MediaLibrary.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Media;

/// <summary>
/// The media lifecycle: the commands. Upload: object first, then the row. Edit: the row alone. Replace and delete:
/// through <see cref="VersionRetirement"/>, one transaction that changes the row and queues the old objects, then an
/// inline attempt. The endpoints read the request (multipart, If-Match, Idempotency-Key) and hand over what they read.
/// </summary>
public sealed class MediaLifecycle(
    MediaDbContext db, StorageRegistry storage, CleanupQueue cleanup, VersionRetirement retirement, ImageProcessor images, MediaMetrics metrics,
    FolderTree folders, MediaTags tags, MediaReferences references, MediaHistory history, IOptions<MediaOptions> options, TimeProvider time,
    ILogger<MediaLifecycle> logger)
{
    private const int ConcurrencyRetries = 5;
    private readonly IBlobStore _store = storage.Active; // where new files go
    private readonly MediaOptions _options = options.Value;

    public long MaxUploadBytes => _options.MaxUploadBytes;

    public async Task<UploadResult> CreateAsync(UploadReader read, IdempotencyKey? idempotency, CancellationToken ct)
    {
        if (idempotency is not null && await FindIdempotentAsync(idempotency, ct) is { } earlier)
        {
            // A retry: the body is read to its end (hashed, stored nowhere) to check that it is the same request.
            string? fileName = null, sha256 = null;
            var sent = await read(async (file, ct2) =>
            {
                await file.Content.CopyToAsync(Stream.Null, ct2);
                (fileName, sha256) = (file.FileName, file.Content.Sha256);
            }, ct);
            return await ReplayAsync(earlier, idempotency, Fingerprint(sent, fileName!, sha256!), ct);
        }

        var storageId = StorageKeys.NewId();
        StoredFile? stored = null;
        string? fingerprint = null;
        try
        {
            var fields = await read(async (file, ct2) => stored = await StoreAsync(null, storageId, file, ct2), ct);
            fingerprint = Fingerprint(fields, stored!.FileName, stored.Sha256);
            return await CommitCreatedAsync(storageId, stored, fields, idempotency, fingerprint, null, ct);
        }
        catch (Exception ex) when (stored is not null)
        {
            MediaLog.CommitFailed(logger, ex, null, stored.Key, _store.Provider);
            await cleanup.DeleteUncommittedUploadAsync(stored.Deferred, CancellationToken.None);
            // The same key committed by a concurrent retry: that one is the result, if it was the same request.
            if (idempotency is not null && fingerprint is not null && ex is DbUpdateException
                && await FindIdempotentAsync(idempotency, CancellationToken.None) is { } winner)
                return await ReplayAsync(winner, idempotency, fingerprint, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// An upload whose bytes were staged in storage is whole: a resumable upload's last byte arrived, or a client sent a
    /// direct upload's parts to the bucket. <paramref name="complete"/> puts the bytes under <paramref name="key"/>
    /// (skipped when an earlier attempt got that far); then they are checked as an upload's are (the size announced, the
    /// type from the first bytes, the allow-list, the pixel limit, one decode of an image) and the row is committed with
    /// the upload's fields; <paramref name="withRow"/> adds to that transaction once the row has its id. The SHA-256 is
    /// <paramref name="sha256"/> when it was computed as the bytes arrived, else read from the stored object, and must be
    /// <paramref name="expectedSha256"/> when the client announced one. Refused (a problem answer), the entry deletes
    /// what was stored. Any other failure leaves the upload and its entry as they are, so that a retry finishes it.
    /// </summary>
    public async Task<UploadResult> CreateFromStagedAsync(string storageId, string key, Func<CancellationToken, Task<StoredBlob>> complete,
        string fileName, string? sha256, string? expectedSha256, long size, IReadOnlyDictionary<string, string> fields, PendingDeletion deferred,
        Action<MediaItem> withRow, CancellationToken ct)
    {
        try
        {
            // Completed first, read after: an S3 upload cannot be read before. A refusal removes the object through the entry.
            // Completed again (its answer was an outage), the storage answers with the object made then.
            var blob = await complete(ct);
            SniffResult sniff;
            await using (var read = await _store.OpenReadAsync(blob.Key, ct))
            {
                var stored = read.CanSeek ? read.Length : blob.Size;
                var head = new byte[ContentSniffer.HeadLength];
                var length = await read.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
                sniff = ContentSniffer.Sniff(head.AsSpan(0, length), fileName);
                if (stored != size)
                    throw new ApiProblemException(StatusCodes.Status422UnprocessableEntity, "The file is not the size announced.",
                        $"{stored} bytes arrived where {size} were announced; nothing was kept.");
                Admit(sniff, fileName);
                if (sha256 is null)
                {
                    // Not hashed as it arrived (a direct upload): the same read goes on, from the head already read, to the end.
                    using var rest = new HashingStream(head.AsMemory(0, length), read.ReadAsync, long.MaxValue);
                    await rest.CopyToAsync(Stream.Null, ct);
                    sha256 = rest.Sha256;
                }
            }
            if (expectedSha256 is not null && !string.Equals(sha256, expectedSha256, StringComparison.OrdinalIgnoreCase))
                throw new ApiProblemException(StatusCodes.Status422UnprocessableEntity, "The file is not the one announced.",
                    $"Its SHA-256 is {sha256}, not the {expectedSha256} announced; nothing was kept.");
            await _store.EnsureContentTypeAsync(blob.Key, sniff.ContentType, ct);
            var facts = await images.AnalyseAsync(sniff.ContentType, c => _store.OpenReadAsync(blob.Key, c), _options.MaxPixels, ct);
            MediaLog.Stored(logger, null, blob.Key, _store.Provider, size, sha256);
            var file = new StoredFile(blob.Key, fileName, sniff, sha256, size, facts, deferred);
            return await CommitCreatedAsync(storageId, file, fields, null, null, withRow, ct);
        }
        catch (Exception ex) when (ex is ApiProblemException or RequestValidationException)
        {
            MediaLog.CommitFailed(logger, ex, null, key, _store.Provider);
            await cleanup.DeleteUncommittedUploadAsync(deferred, CancellationToken.None);
            throw;
        }
    }

    /// <summary>The row of a stored upload, its tags, history and idempotency record, committed together.</summary>
    private async Task<UploadResult> CommitCreatedAsync(string storageId, StoredFile stored, IReadOnlyDictionary<string, string> fields,
        IdempotencyKey? idempotency, string? fingerprint, Action<MediaItem>? withRow, CancellationToken ct)
    {
        var (title, altText, folderId, tagNames) = UploadFields(fields);

        var now = Now();
        var media = new MediaItem
        {
            StorageId = storageId,
            Title = string.IsNullOrWhiteSpace(title) ? Path.GetFileNameWithoutExtension(stored!.FileName) : title.Trim(),
            AltText = altText.Trim(),
            FileName = stored!.FileName,
            ContentType = stored.Sniff.ContentType,
            Size = stored.Size,
            Sha256 = stored.Sha256,
            Version = 1,
            Revision = 1,
            StorageKey = stored.Key,
            StorageProvider = _store.Provider,
            FolderId = folderId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        stored.ApplyTo(media);
        db.Media.Add(media);
        var tagged = tagNames.Count == 0 ? [] : (await tags.EnsureAsync(tagNames, ct)).Values.ToList();
        db.MediaTags.AddRange(tagged.Select(t => new MediaTag { Media = media, TagId = t.Id }));
        media.TagIds = [.. tagged.Select(t => t.Id).Order()];
        cleanup.Cancel(stored.Deferred); // in the same commit as the row
        if (idempotency is not null)
            db.IdempotencyRecords.Add(new IdempotencyRecord
            {
                UserId = idempotency.UserId, Key = idempotency.Key, Media = media, Fingerprint = fingerprint, CreatedAt = now,
            });
        await using (var tx = await folders.BeginIntoAsync(folderId, ct))
        {
            await db.SaveChangesAsync(ct); // the id, for its history entry, in the same transaction
            history.Record(media.Id, "created", new
            {
                title = media.Title, file_name = media.FileName, content_type = media.ContentType, size = media.Size, version = media.Version,
                folder_id = media.FolderId, tags = MediaTags.Ordered(tagged),
            });
            withRow?.Invoke(media);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        MediaLog.Created(logger, media.Id, media.StorageKey, media.StorageProvider, media.Version);
        return new UploadResult(media, MediaTags.Ordered(tagged), Replayed: false);
    }

    /// <summary>
    /// What identifies an upload for its Idempotency-Key: the text fields as sent, the file's name and its SHA-256.
    /// </summary>
    public static string Fingerprint(IReadOnlyDictionary<string, string> fields, string fileName, string sha256)
    {
        // A JSON array keeps the parts apart: no value can be made to look like two. The folder joins it only when sent,
        // so the fingerprints of uploads without one stay what they were.
        string?[] parts = [fields.GetValueOrDefault("title"), fields.GetValueOrDefault("alt_text"), fileName, sha256];
        if (fields.GetValueOrDefault("folder_id") is { } folder) parts = [.. parts, folder];
        var canonical = System.Text.Json.JsonSerializer.Serialize(parts);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical)));
    }

    private async Task<IdempotencyRecord?> FindIdempotentAsync(IdempotencyKey idempotency, CancellationToken ct)
    {
        var cutoff = Now().AddHours(-_options.IdempotencyHours);
        var record = await db.IdempotencyRecords.AsNoTracking().Include(r => r.Media)
            .FirstOrDefaultAsync(r => r.UserId == idempotency.UserId && r.Key == idempotency.Key, ct);
        if (record is null) return null;
        if (record.CreatedAt < cutoff)
        {
            // Expired: the key may be used afresh (the worker also purges these).
            await db.IdempotencyRecords.Where(r => r.Id == record.Id).ExecuteDeleteAsync(ct);
            return null;
        }
        return record;
    }

    private async Task<UploadResult> ReplayAsync(IdempotencyRecord record, IdempotencyKey idempotency, string fingerprint, CancellationToken ct)
    {
        if (record.Fingerprint is not null && record.Fingerprint != fingerprint)
        {
            MediaLog.IdempotencyMismatch(logger, record.MediaId, idempotency.Key);
            throw new ApiProblemException(StatusCodes.Status422UnprocessableEntity, "The Idempotency-Key was used for another request.",
                $"The upload with Idempotency-Key '{idempotency.Key}' sent a different file or different fields. " +
                "A retry must send the same request; a new upload needs a new key.");
        }
        if (record.Media is null)
            throw new ApiProblemException(StatusCodes.Status410Gone, "The media has been deleted.",
                $"The upload with Idempotency-Key '{idempotency.Key}' created media {record.MediaId?.ToString() ?? "that"} which was deleted since.");
        if (record.Media.TrashedAt is not null)
            throw new ApiProblemException(StatusCodes.Status410Gone, "The media is in the trash.",
                $"The upload with Idempotency-Key '{idempotency.Key}' created media {record.Media.Id}, which was moved to the trash since; "
                + $"restore it with POST /api/media/{record.Media.Id}/restore.");
        MediaLog.IdempotentReplay(logger, record.Media.Id, idempotency.Key);
        return new UploadResult(record.Media, await tags.OfAsync(record.Media.Id, ct), Replayed: true);
    }

    /// <summary>Changes what <paramref name="edit"/> names (title, alt text, folder, tags); nothing changed, nothing written.</summary>
    public async Task<TaggedMedia?> UpdateAsync(long id, IfMatch ifMatch, MediaEdit edit, CancellationToken ct)
    {
        ValidateMetadata(edit.Title, edit.AltText, allowEmptyTitle: false);
        var (title, altText, move, change) = edit;
        // Tags named to be added are created up front (a tag without media is listed nowhere); removed ones are only looked up.
        var wanted = change is null ? null : await tags.EnsureAsync([.. change.Set ?? [], .. change.Add], ct);
        var unwanted = change is null || change.Remove.Count == 0 ? [] : (await tags.FindAsync(change.Remove, ct)).Values.Select(t => t.Id).ToHashSet();
        for (var attempt = 1; ; attempt++)
        {
            // Read, check and write under the media row's lock (SQLite: the one writer's turn), so that concurrent
            // edits of one media take turns instead of failing each other's revision check.
            await using var tx = await folders.BeginIntoAsync(move?.FolderId, ct);
            if (db.Database.IsNpgsql()) await db.Database.ExecuteSqlAsync($"SELECT 1 FROM media WHERE \"Id\" = {id} FOR UPDATE", ct);
            var media = await db.Media.FirstOrDefaultAsync(m => m.Id == id && m.TrashedAt == null, ct);
            if (media is null) return null;
            CheckIfMatch(media, ifMatch);
            var (adding, dropping, before, after, afterIds) = await TagDiffAsync(id, change, wanted, unwanted, ct);
            if (title is null && altText is null && (move is null || move.FolderId == media.FolderId) && adding.Count + dropping.Count == 0)
                return new TaggedMedia(media, after);
            var changed = new Dictionary<string, object?>();
            if (title is not null && title.Trim() != media.Title) changed["title"] = new { before = media.Title, after = title.Trim() };
            if (altText is not null && altText.Trim() != media.AltText) changed["alt_text"] = new { before = media.AltText, after = altText.Trim() };
            if (move is not null && move.FolderId != media.FolderId) changed["folder_id"] = new { before = media.FolderId, after = move.FolderId };
            if (adding.Count + dropping.Count > 0) changed["tags"] = new { before, after };
            if (changed.Count > 0) history.Record(id, "edited", changed);
            if (title is not null) media.Title = title.Trim();
            if (altText is not null) media.AltText = altText.Trim();
            if (move is not null) media.FolderId = move.FolderId;
            media.UpdatedAt = Now();
            media.Revision++;
            db.MediaTags.AddRange(adding.Select(t => new MediaTag { MediaId = id, TagId = t }));
            db.MediaTags.RemoveRange(dropping.Select(t => new MediaTag { MediaId = id, TagId = t }));
            if (adding.Count + dropping.Count > 0) media.TagIds = afterIds;
            try
            {
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                MediaLog.Updated(logger, media.Id, media.Revision);
                return new TaggedMedia(media, after);
            }
            catch (DbUpdateConcurrencyException) when (attempt < ConcurrencyRetries)
            {
                db.ChangeTracker.Clear(); // reload and re-check If-Match against what won
            }
        }
    }

    /// <summary>
    /// The tag ids to link and unlink for <paramref name="change"/> (none when null), from the media's tags as they are
    /// now, and the names and ids it has after.
    /// </summary>
    private async Task<(List<long> Adding, List<long> Dropping, IReadOnlyList<string> Before, IReadOnlyList<string> After, long[] AfterIds)> TagDiffAsync(
        long id, TagChange? change, Dictionary<string, Tag>? wanted, HashSet<long> unwanted, CancellationToken ct)
    {
        var current = await (from l in db.MediaTags join t in db.Tags on l.TagId equals t.Id where l.MediaId == id select t).AsNoTracking().ToListAsync(ct);
        var now = MediaTags.Ordered(current);
        if (change is null) return ([], [], now, now, [.. current.Select(t => t.Id).Order()]);
        var target = (change.Set is null ? current : change.Set.Select(n => wanted![TagNames.Key(n)]))
            .Concat(change.Add.Select(n => wanted![TagNames.Key(n)]))
            .Where(t => !unwanted.Contains(t.Id)).DistinctBy(t => t.Id).ToList();
        if (target.Count > TagNames.MaxPerMedia && target.Count > current.Count)
            throw new RequestValidationException(new Dictionary<string, string[]> { ["tags"] =
                [$"A media holds at most {TagNames.MaxPerMedia} tags; this change would give media {id} {target.Count}."] });
        var (before, afterIds) = (current.Select(t => t.Id).ToHashSet(), target.Select(t => t.Id).ToHashSet());
        return (afterIds.Except(before).Order().ToList(), before.Except(afterIds).Order().ToList(), now, MediaTags.Ordered(target), [.. afterIds.Order()]);
    }

    public async Task<TaggedMedia?> ReplaceFileAsync(long id, IfMatch ifMatch, UploadReader read, CancellationToken ct)
    {
        var media = await db.Media.FirstOrDefaultAsync(m => m.Id == id && m.TrashedAt == null, ct);
        if (media is null) return null;
        // Read now, not after the commit; a tag change meanwhile bumps the revision, and the replace then fails as stale.
        var tagNames = await tags.OfAsync(id, ct);
        CheckIfMatch(media, ifMatch); // before the upload flows: a stale editor should not send 1 GiB for nothing

        StoredFile? stored = null;
        var committed = false;
        try
        {
            await read(async (file, ct2) => stored = await StoreAsync(media.Id, media.StorageId, file, ct2), ct);
            var oldFileName = media.FileName;
            await retirement.RetireVersionAsync(media, "replaced", urlRetired: true, m =>
            {
                cleanup.Cancel(stored!.Deferred); // in the same commit as the new version
                m.StorageKey = stored.Key;
                m.StorageProvider = _store.Provider;
                m.FileName = stored.FileName;
                m.ContentType = stored.Sniff.ContentType;
                m.Size = stored.Size;
                m.Sha256 = stored.Sha256;
                stored.ApplyTo(m);
                history.Record(m.Id, "replaced", new
                {
                    version = new { before = m.Version, after = m.Version + 1 }, file_name = new { before = oldFileName, after = stored.FileName },
                    sha256 = stored.Sha256, size = stored.Size, content_type = stored.Sniff.ContentType,
                });
                m.Version++;
                m.Revision++;
                m.UpdatedAt = Now();
            }, old =>
            {
                committed = true;
                MediaLog.Replaced(logger, media.Id, media.StorageKey, media.StorageProvider, media.Version, old.StorageKey);
            }, ct);
        }
        catch (Exception ex) when (stored is not null && !committed) // after the commit the new file is the row's
        {
            MediaLog.CommitFailed(logger, ex, media.Id, stored.Key, _store.Provider);
            await cleanup.DeleteUncommittedUploadAsync(stored.Deferred, CancellationToken.None);
            if (ex is DbUpdateConcurrencyException or MediaChangedException)
                throw Stale(ifMatch, "The media was changed while the new file was uploaded.");
            throw;
        }
        return new TaggedMedia(media, tagNames);
    }

    /// <summary>
    /// Deletes the media: to the trash while MEDIALIB_TRASH_DAYS is above 0 (its URL retired and purged from caches, its
    /// objects, tags and references kept for a restore), or for good when <paramref name="permanent"/> or there is no
    /// trash (the row gone, its objects queued). A trashed media is deleted for good only when <paramref name="permanent"/>.
    /// A media that is used somewhere (it has references) is refused with 409 and its references, unless
    /// <paramref name="force"/>: a forced trash keeps them (they come back with a restore), a forced deletion removes them.
    /// </summary>
    public async Task<DeleteOutcome> DeleteAsync(long id, IfMatch ifMatch, bool force, bool permanent, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var media = await db.Media.FirstOrDefaultAsync(m => m.Id == id, ct);
            if (media is null || (media.TrashedAt is not null && !permanent)) return DeleteOutcome.NotFound;
            CheckIfMatch(media, ifMatch);
            var used = 0;
            try
            {
                if (!permanent && _options.TrashDays > 0)
                {
                    await retirement.RetireUrlAsync(media, "trashed", m =>
                    {
                        var now = Now();
                        m.TrashedAt = now;
                        m.PurgeAt = now.AddDays(_options.TrashDays);
                        m.UpdatedAt = now;
                        m.Revision++;
                        history.Record(m.Id, "trashed", new { purge_at = m.PurgeAt, reference_count = used });
                    }, async c => used = await references.CheckDeletableAsync(id, force, c), _ =>
                    {
                        MediaLog.Trashed(logger, media.Id, media.StorageKey, media.StorageProvider, media.PurgeAt!.Value);
                        if (used > 0) MediaLog.TrashedInUse(logger, media.Id, used);
                    }, ct);
                    return DeleteOutcome.Trashed;
                }
                var fromTrash = media.TrashedAt is not null;
                await retirement.RetireMediaAsync(media, fromTrash ? "purged" : "deleted", async c =>
                    {
                        used = fromTrash ? media.ReferenceCount : await references.CheckDeletableAsync(id, force, c);
                        history.Record(id, "deleted", new
                        {
                            from_trash = fromTrash, references_removed = used, storage_key = media.StorageKey,
                            title = media.Title, file_name = media.FileName, version = media.Version,
                        });
                    }, _ =>
                    {
                        MediaLog.Deleted(logger, media.Id, media.StorageKey, media.StorageProvider, fromTrash ? "from the trash" : "from the library");
                        if (used > 0) MediaLog.DeletedInUse(logger, media.Id, used);
                    }, ct);
                return DeleteOutcome.Deleted;
            }
            catch (Exception ex) when (ex is MediaChangedException or DbUpdateConcurrencyException)
            {
                if (attempt >= ConcurrencyRetries) throw new DbUpdateConcurrencyException("The media kept changing while it was deleted.", ex);
                db.ChangeTracker.Clear(); // deleted or changed meanwhile: look again (gone → 404; changed → re-check If-Match)
            }
        }
    }

    /// <summary>Refuses a file whose type (from its bytes) is not on the allow-list, or an image with too many pixels.</summary>
    private void Admit(SniffResult sniff, string fileName)
    {
        var contentType = sniff.ContentType;
        if (!_options.IsAllowed(contentType))
        {
            MediaLog.TypeRejected(logger, contentType, fileName);
            throw new ApiProblemException(StatusCodes.Status415UnsupportedMediaType, "This type of file is not accepted.",
                $"The file's content is {contentType}, which is not on the allow-list (MEDIALIB_ALLOWED_TYPES).",
                new Dictionary<string, object?> { ["detected_type"] = contentType });
        }

        if (sniff is { Width: { } width, Height: { } height } && (long)width * height > _options.MaxPixels)
        {
            MediaLog.PixelFloodRejected(logger, contentType, width, height, fileName);
            throw new ApiProblemException(StatusCodes.Status422UnprocessableEntity, "The image has too many pixels.",
                $"{width}×{height} is {(long)width * height} pixels; the limit is {_options.MaxPixels} (MEDIALIB_MAX_PIXELS).",
                new Dictionary<string, object?> { ["width"] = width, ["height"] = height, ["max_pixels"] = _options.MaxPixels });
        }
    }

    private async Task<StoredFile> StoreAsync(long? mediaId, string storageId, IncomingFile file, CancellationToken ct)
    {
        var contentType = file.Sniff.ContentType;
        Admit(file.Sniff, file.FileName);

        var key = StorageKeys.Original(storageId, StorageKeys.NewId());
        using var activity = MediaMetrics.Activities.StartActivity("store upload");
        activity?.SetTag("medialibrary.media_id", mediaId).SetTag("medialibrary.storage_key", key).SetTag("medialibrary.provider", _store.Provider)
            .SetTag("medialibrary.content_type", contentType);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        // Tracked before the first byte: if this process dies or the row never commits, the entry deletes what was
        // written. If even that cannot be recorded (the database is down), nothing is written at all.
        var deferred = await cleanup.DeferAsync(mediaId, key, _store.Provider, ct);
        MediaLog.Storing(logger, mediaId, key, _store.Provider, contentType, file.FileName);
        StoredBlob blob;
        try
        {
            await using (cleanup.KeepAlive(deferred))
                blob = await _store.UploadAsync(key, file.Content, contentType, (id, c) => cleanup.RecordUploadIdAsync(deferred, id, c), ct);
        }
        catch (Exception ex)
        {
            // The client's file refused on its way (too large): said once, without a stack trace; anything else is a failure.
            if (ex is ApiProblemException refused) MediaLog.StoreRefused(logger, mediaId, key, _store.Provider, refused.Status, refused.Message);
            else MediaLog.StoreFailed(logger, ex, mediaId, key, _store.Provider);
            metrics.NotStored(_store.Provider, ex is ApiProblemException ? "refused" : "failed", System.Diagnostics.Stopwatch.GetElapsedTime(started));
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
            // The adapter left nothing at the key (its contract); the entry goes now, with anything it did leave.
            await cleanup.DeleteUncommittedUploadAsync(deferred, CancellationToken.None);
            throw;
        }
        try
        {
            await cleanup.RekeyAsync(deferred, blob.Key, ct);
            if (blob.Size != file.Content.BytesRead)
                throw new StorageException(_store.Provider, blob.Key, $"The storage kept {blob.Size} bytes of {file.Content.BytesRead}.");
            // Raster images are decoded once from the stored copy: a truncated or hostile file is refused here,
            // and the facts the page and websites need (display size, alpha, placeholder, colour) are kept.
            var facts = await images.AnalyseAsync(contentType, c => _store.OpenReadAsync(blob.Key, c), _options.MaxPixels, ct);
            var stored = new StoredFile(blob.Key, file.FileName, file.Sniff, file.Content.Sha256, file.Content.BytesRead, facts, deferred);
            MediaLog.Stored(logger, mediaId, blob.Key, _store.Provider, stored.Size, stored.Sha256);
            metrics.Stored(_store.Provider, stored.Size, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            return stored;
        }
        catch (Exception ex)
        {
            MediaLog.RefusedAfterStoring(logger, ex, mediaId, blob.Key, _store.Provider);
            metrics.NotStored(_store.Provider, ex is ApiProblemException ? "refused" : "failed", System.Diagnostics.Stopwatch.GetElapsedTime(started));
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
            await cleanup.DeleteUncommittedUploadAsync(deferred, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Checks an upload's text fields as its commit will (lengths, folder id, tags), for an upload that announces them
    /// before its bytes: refused then, before a byte is sent.
    /// </summary>
    public static void CheckUploadFields(IReadOnlyDictionary<string, string> fields) => UploadFields(fields);

    /// <summary>An upload's text fields as its commit takes them: checked (lengths, folder id, tags) and parsed.</summary>
    private static (string? Title, string AltText, long? FolderId, IReadOnlyList<string> TagNames) UploadFields(IReadOnlyDictionary<string, string> fields)
    {
        var title = fields.GetValueOrDefault("title");
        var altText = fields.GetValueOrDefault("alt_text") ?? "";
        ValidateMetadata(title, altText, allowEmptyTitle: true);
        return (title, altText, FolderIdField(fields.GetValueOrDefault("folder_id")), TagNames.FromField(fields.GetValueOrDefault("tags"), "tags"));
    }

    /// <summary>The upload form's folder_id: empty or absent is the top; otherwise a folder's id (checked at the commit).</summary>
    private static long? FolderIdField(string? value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0) return id;
        throw new RequestValidationException(new Dictionary<string, string[]> { ["folder_id"] = ["folder_id is a folder's id."] });
    }

    /// <summary>An upload may leave the title empty (it defaults to the file name); an edit may not clear it.</summary>
    public static void ValidateMetadata(string? title, string? altText, bool allowEmptyTitle)
    {
        var errors = new Dictionary<string, string[]>();
        if (title is not null && title.Length > MediaRules.MaxTitleLength)
            errors["title"] = [$"The title is longer than {MediaRules.MaxTitleLength} characters."];
        else if (title is not null && string.IsNullOrWhiteSpace(title) && !(allowEmptyTitle && title.Length == 0))
            errors["title"] = ["The title cannot be empty or only white space."];
        else if (title is not null && title.Any(c => char.IsControl(c)))
            errors["title"] = ["The title cannot contain control characters."];
        if (altText is not null && altText.Length > MediaRules.MaxAltTextLength)
            errors["alt_text"] = [$"The alt text is longer than {MediaRules.MaxAltTextLength} characters."];
        else if (altText is not null && altText.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
            errors["alt_text"] = ["The alt text cannot contain control characters."];
        if (errors.Count > 0) throw new RequestValidationException(errors);
    }

    internal static void CheckIfMatch(MediaItem media, IfMatch ifMatch)
    {
        if (ifMatch.Matches(media.ETag)) return;
        throw new ApiProblemException(StatusCodes.Status412PreconditionFailed, "The media has changed.",
            $"If-Match {ifMatch.Text} does not match the current ETag {media.ETag}; reload the media and try again.",
            new Dictionary<string, object?> { ["current_etag"] = media.ETag });
    }

    private static ApiProblemException Stale(IfMatch ifMatch, string detail) => !ifMatch.Present
        ? new ApiProblemException(StatusCodes.Status409Conflict, "The media was changed by another request.", detail)
        : new ApiProblemException(StatusCodes.Status412PreconditionFailed, "The media has changed.", detail);

    private DateTime Now() => StoredTime.Now(time);

    /// <summary>A file stored for a row not yet committed; <paramref name="Deferred"/> deletes it unless the commit cancels it.</summary>
    private sealed record StoredFile(string Key, string FileName, SniffResult Sniff, string Sha256, long Size, ImageFacts? Facts, PendingDeletion Deferred)
    {
        /// <summary>Dimensions as displayed (EXIF orientation applied) when decoded, else from the header.</summary>
        public void ApplyTo(MediaItem media)
        {
            media.Width = Facts?.Width ?? Sniff.Width;
            media.Height = Facts?.Height ?? Sniff.Height;
            media.HasAlpha = Facts?.HasAlpha;
            media.Placeholder = Facts?.Placeholder;
            media.DominantColor = Facts?.DominantColor;
        }
    }
}
