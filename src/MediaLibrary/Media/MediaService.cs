using MediaLibrary.Cleanup;
using MediaLibrary.Data;
using MediaLibrary.Imaging;
using MediaLibrary.Storage;
using MediaLibrary.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Media;

/// <summary>
/// The media lifecycle. Upload: object first, then the row. Replace and delete: one transaction changes the row
/// and queues the old objects' deletion; the deletion is then tried inline (<see cref="StorageCleanup"/>).
/// </summary>
public sealed partial class MediaService(
    MediaDbContext db, StorageRegistry storage, StorageCleanup cleanup, Derivatives derivatives, ImageProcessor images,
    Microsoft.Extensions.Caching.Memory.IMemoryCache deliveryCache, IOptions<MediaOptions> options, TimeProvider time, ILogger<MediaService> logger)
{
    private const int ConcurrencyRetries = 5;
    private readonly IBlobStore _store = storage.Active; // where new files go
    private readonly MediaOptions _options = options.Value;

    public long MaxUploadBytes => _options.MaxUploadBytes;

    public Task<Media?> FindAsync(long id, CancellationToken ct) =>
        db.Media.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct);

    public async Task<UploadResult> CreateAsync(HttpRequest request, IdempotencyKey? idempotency, CancellationToken ct)
    {
        if (idempotency is not null && await FindIdempotentAsync(idempotency, ct) is { } earlier) return earlier;

        var storageId = StorageKeys.NewId();
        StoredFile? stored = null;
        try
        {
            var fields = await MultipartUpload.ReadAsync(request, _options.MaxUploadBytes,
                async (file, ct2) => stored = await StoreAsync(null, storageId, file, ct2), ct);
            var title = fields.GetValueOrDefault("title");
            var altText = fields.GetValueOrDefault("alt_text") ?? "";
            ValidateMetadata(title, altText, allowEmptyTitle: true);

            var now = Now();
            var media = new Media
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
                CreatedAt = now,
                UpdatedAt = now,
            };
            stored.ApplyTo(media);
            db.Media.Add(media);
            if (idempotency is not null)
                db.IdempotencyRecords.Add(new IdempotencyRecord { UserId = idempotency.UserId, Key = idempotency.Key, Media = media, CreatedAt = now });
            await db.SaveChangesAsync(ct);
            MediaLog.Created(logger, media.Id, media.StorageKey, media.StorageProvider, media.Version);
            return new UploadResult(media, Replayed: false);
        }
        catch (Exception ex) when (stored is not null)
        {
            MediaLog.CommitFailed(logger, ex, null, stored.Key, _store.Provider);
            await cleanup.DeleteUncommittedAsync(null, stored.Key, "upload-not-committed", CancellationToken.None);
            // The same key committed by a concurrent retry: that one is the result.
            if (idempotency is not null && ex is DbUpdateException && await FindIdempotentAsync(idempotency, CancellationToken.None) is { } winner)
                return winner;
            throw;
        }
    }

    /// <summary>Forgets Idempotency-Keys older than their lifetime; run by the cleanup worker.</summary>
    public Task<int> PurgeExpiredIdempotencyKeysAsync(CancellationToken ct)
    {
        var cutoff = Now().AddHours(-_options.IdempotencyHours);
        return db.IdempotencyRecords.Where(r => r.CreatedAt < cutoff).ExecuteDeleteAsync(ct);
    }

    private async Task<UploadResult?> FindIdempotentAsync(IdempotencyKey idempotency, CancellationToken ct)
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
        if (record.Media is null)
            throw new ApiProblemException(StatusCodes.Status410Gone, "The media has been deleted.",
                $"The upload with Idempotency-Key '{idempotency.Key}' created media {record.MediaId?.ToString() ?? "that"} which was deleted since.");
        MediaLog.IdempotentReplay(logger, record.Media.Id, idempotency.Key);
        return new UploadResult(record.Media, Replayed: true);
    }

    public async Task<Media?> UpdateAsync(long id, string? ifMatch, UpdateMediaRequest body, CancellationToken ct)
    {
        ValidateMetadata(body.Title, body.AltText, allowEmptyTitle: false);
        for (var attempt = 1; ; attempt++)
        {
            var media = await db.Media.FirstOrDefaultAsync(m => m.Id == id, ct);
            if (media is null) return null;
            CheckIfMatch(media, ifMatch);
            if (body.Title is null && body.AltText is null) return media;
            if (body.Title is not null) media.Title = body.Title.Trim();
            if (body.AltText is not null) media.AltText = body.AltText.Trim();
            media.UpdatedAt = Now();
            media.Revision++;
            try
            {
                await db.SaveChangesAsync(ct);
                MediaLog.Updated(logger, media.Id, media.Revision);
                return media;
            }
            catch (DbUpdateConcurrencyException) when (attempt < ConcurrencyRetries)
            {
                db.ChangeTracker.Clear(); // reload and re-check If-Match against what won
            }
        }
    }

    public async Task<Media?> ReplaceFileAsync(long id, string? ifMatch, HttpRequest request, CancellationToken ct)
    {
        var media = await db.Media.FirstOrDefaultAsync(m => m.Id == id, ct);
        if (media is null) return null;
        CheckIfMatch(media, ifMatch); // before the upload flows: a stale editor should not send 1 GiB for nothing

        StoredFile? stored = null;
        List<PendingDeletion> pending;
        var oldKey = media.StorageKey;
        var oldFileName = media.FileName;
        try
        {
            await MultipartUpload.ReadAsync(request, _options.MaxUploadBytes,
                async (file, ct2) => stored = await StoreAsync(media.Id, media.StorageId, file, ct2), ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            pending = [cleanup.Enqueue(media.Id, media.StorageKey, media.StorageProvider, "replaced")];
            media.StorageKey = stored!.Key;
            media.StorageProvider = _store.Provider;
            media.FileName = stored.FileName;
            media.ContentType = stored.Sniff.ContentType;
            media.Size = stored.Size;
            media.Sha256 = stored.Sha256;
            stored.ApplyTo(media);
            media.Version++;
            media.Revision++;
            media.UpdatedAt = Now();
            await db.SaveChangesAsync(ct); // the UPDATE locks the row: no render can claim the old version after this
            pending.AddRange(await derivatives.RetireAsync(media.Id, "replaced", ct));
            pending.AddRange(cleanup.EnqueuePurge(media.Id, media.Version - 1, oldFileName, "replaced"));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (Exception ex) when (stored is not null)
        {
            MediaLog.CommitFailed(logger, ex, media.Id, stored.Key, _store.Provider);
            await cleanup.DeleteUncommittedAsync(media.Id, stored.Key, "replace-not-committed", CancellationToken.None);
            if (ex is DbUpdateConcurrencyException) throw Stale(ifMatch, "The media was changed while the new file was uploaded.");
            throw;
        }
        FileDelivery.Forget(deliveryCache, media.Id, media.Version - 1);
        MediaLog.Replaced(logger, media.Id, media.StorageKey, media.StorageProvider, media.Version, oldKey);
        await cleanup.RunInlineAsync(pending, ct);
        return media;
    }

    public async Task<bool> DeleteAsync(long id, string? ifMatch, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var media = await db.Media.FirstOrDefaultAsync(m => m.Id == id, ct);
            if (media is null) return false;
            CheckIfMatch(media, ifMatch);
            List<PendingDeletion> pending;
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                // Lock the row (as it was read) before reading its derivatives, so no render can claim one after.
                if (await db.Media.Where(m => m.Id == id && m.Revision == media.Revision)
                        .ExecuteUpdateAsync(s => s.SetProperty(m => m.Revision, m => m.Revision), ct) == 0)
                {
                    if (attempt >= ConcurrencyRetries) throw new DbUpdateConcurrencyException("The media kept changing while it was deleted.");
                    db.ChangeTracker.Clear(); // deleted or changed meanwhile: look again (gone → 404; changed → re-check If-Match)
                    continue;
                }
                pending = await derivatives.RetireAsync(media.Id, "deleted", ct);
                pending.Add(cleanup.Enqueue(media.Id, media.StorageKey, media.StorageProvider, "deleted"));
                pending.AddRange(cleanup.EnqueuePurge(media.Id, media.Version, media.FileName, "deleted"));
                db.Media.Remove(media);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
            FileDelivery.Forget(deliveryCache, media.Id, media.Version);
            MediaLog.Deleted(logger, media.Id, media.StorageKey, media.StorageProvider);
            await cleanup.RunInlineAsync(pending, ct);
            return true;
        }
    }

    private async Task<StoredFile> StoreAsync(long? mediaId, string storageId, IncomingFile file, CancellationToken ct)
    {
        var contentType = file.Sniff.ContentType;
        if (!_options.IsAllowed(contentType))
        {
            MediaLog.TypeRejected(logger, contentType, file.FileName);
            throw new ApiProblemException(StatusCodes.Status415UnsupportedMediaType, "This type of file is not accepted.",
                $"The file's content is {contentType}, which is not on the allow-list (MEDIALIB_ALLOWED_TYPES).",
                new Dictionary<string, object?> { ["detected_type"] = contentType });
        }

        if (file.Sniff is { Width: { } width, Height: { } height } && (long)width * height > _options.MaxPixels)
        {
            MediaLog.PixelFloodRejected(logger, contentType, width, height, file.FileName);
            throw new ApiProblemException(StatusCodes.Status422UnprocessableEntity, "The image has too many pixels.",
                $"{width}×{height} is {(long)width * height} pixels; the limit is {_options.MaxPixels} (MEDIALIB_MAX_PIXELS).",
                new Dictionary<string, object?> { ["width"] = width, ["height"] = height, ["max_pixels"] = _options.MaxPixels });
        }

        var key = StorageKeys.Original(storageId, StorageKeys.NewId());
        MediaLog.Storing(logger, mediaId, key, _store.Provider, contentType, file.FileName);
        StoredBlob blob;
        try
        {
            blob = await _store.UploadAsync(key, file.Content, contentType, ct);
        }
        catch (Exception ex)
        {
            MediaLog.StoreFailed(logger, ex, mediaId, key, _store.Provider);
            throw;
        }
        try
        {
            if (blob.Size != file.Content.BytesRead)
                throw new StorageException(_store.Provider, blob.Key, $"The storage kept {blob.Size} bytes of {file.Content.BytesRead}.");
            // Raster images are decoded once from the stored copy: a truncated or hostile file is refused here,
            // and the facts the page and websites need (display size, alpha, placeholder, colour) are kept.
            var facts = await images.AnalyseAsync(contentType, c => _store.OpenReadAsync(blob.Key, c), _options.MaxPixels, ct);
            var stored = new StoredFile(blob.Key, file.FileName, file.Sniff, file.Content.Sha256, file.Content.BytesRead, facts);
            MediaLog.Stored(logger, mediaId, blob.Key, _store.Provider, stored.Size, stored.Sha256);
            return stored;
        }
        catch (Exception ex)
        {
            MediaLog.RefusedAfterStoring(logger, ex, mediaId, blob.Key, _store.Provider);
            await cleanup.DeleteUncommittedAsync(mediaId, blob.Key, "upload-refused", CancellationToken.None);
            throw;
        }
    }

    /// <summary>An upload may leave the title empty (it defaults to the file name); an edit may not clear it.</summary>
    private static void ValidateMetadata(string? title, string? altText, bool allowEmptyTitle)
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

    /// <summary>If-Match uses strong comparison (RFC 9110 13.1.1); "*" matches any existing media.</summary>
    private static void CheckIfMatch(Media media, string? ifMatch)
    {
        if (string.IsNullOrWhiteSpace(ifMatch) || ifMatch.Trim() == "*") return;
        foreach (var tag in ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            if (tag == media.ETag) return;
        throw new ApiProblemException(StatusCodes.Status412PreconditionFailed, "The media has changed.",
            $"If-Match {ifMatch} does not match the current ETag {media.ETag}; reload the media and try again.",
            new Dictionary<string, object?> { ["current_etag"] = media.ETag });
    }

    private static ApiProblemException Stale(string? ifMatch, string detail) => ifMatch is null
        ? new ApiProblemException(StatusCodes.Status409Conflict, "The media was changed by another request.", detail)
        : new ApiProblemException(StatusCodes.Status412PreconditionFailed, "The media has changed.", detail);

    // Millisecond precision: what both databases store, so a value reads back exactly as it was returned.
    private DateTime Now()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }

    public sealed record IdempotencyKey(string UserId, string Key);

    public sealed record UploadResult(Media Media, bool Replayed);

    private sealed record StoredFile(string Key, string FileName, SniffResult Sniff, string Sha256, long Size, ImageFacts? Facts)
    {
        /// <summary>Dimensions as displayed (EXIF orientation applied) when decoded, else from the header.</summary>
        public void ApplyTo(Media media)
        {
            media.Width = Facts?.Width ?? Sniff.Width;
            media.Height = Facts?.Height ?? Sniff.Height;
            media.HasAlpha = Facts?.HasAlpha;
            media.Placeholder = Facts?.Placeholder;
            media.DominantColor = Facts?.DominantColor;
        }
    }
}
