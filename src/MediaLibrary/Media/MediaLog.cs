namespace MediaLibrary.Media;

/// <summary>Every step of the media lifecycle, with the fields an operator filters on.</summary>
internal static partial class MediaLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Storing upload for media {MediaId} at {StorageKey} on {Provider} ({ContentType}, file name {FileName})")]
    public static partial void Storing(ILogger logger, long? mediaId, string storageKey, string provider, string contentType, string fileName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored {StorageKey} for media {MediaId} on {Provider}: result=ok, {Size} bytes, sha256 {Sha256}")]
    public static partial void Stored(ILogger logger, long? mediaId, string storageKey, string provider, long size, string sha256);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing {StorageKey} for media {MediaId} on {Provider} stopped: result=failed")]
    public static partial void StoreFailed(ILogger logger, Exception exception, long? mediaId, string storageKey, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Storing {StorageKey} for media {MediaId} on {Provider} stopped: result=refused, {Status} {Reason}")]
    public static partial void StoreRefused(ILogger logger, long? mediaId, string storageKey, string provider, int status, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media {MediaId} created: {StorageKey} on {Provider}, version {Version}")]
    public static partial void Created(ILogger logger, long mediaId, string storageKey, string provider, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Committing media {MediaId} with {StorageKey} on {Provider} failed: result=rolled back, object removed")]
    public static partial void CommitFailed(ILogger logger, Exception exception, long? mediaId, string storageKey, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upload for media {MediaId} stored at {StorageKey} on {Provider} was refused after storing: result=object removed")]
    public static partial void RefusedAfterStoring(ILogger logger, Exception exception, long? mediaId, string storageKey, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media {MediaId} metadata updated (revision {Revision})")]
    public static partial void Updated(ILogger logger, long mediaId, int revision);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media {MediaId} replaced: {StorageKey} on {Provider} is version {Version}; old {OldStorageKey} queued for deletion")]
    public static partial void Replaced(ILogger logger, long mediaId, string storageKey, string provider, int version, string oldStorageKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media {MediaId} deleted {From}: row removed, {StorageKey} on {Provider} queued for deletion")]
    public static partial void Deleted(ILogger logger, long mediaId, string storageKey, string provider, string from);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media {MediaId} moved to the trash: its URL retired, {StorageKey} on {Provider} kept until {PurgeAt:o}")]
    public static partial void Trashed(ILogger logger, long mediaId, string storageKey, string provider, DateTime purgeAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media {MediaId} moved to the trash with force although used in {ReferenceCount} places; its references stay for a restore")]
    public static partial void TrashedInUse(ILogger logger, long mediaId, int referenceCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media {MediaId} restored from the trash: {StorageKey} on {Provider}, version {Version}, in folder {FolderId}")]
    public static partial void Restored(ILogger logger, long mediaId, string storageKey, string provider, int version, long? folderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media {MediaId} purged from the trash (due {PurgeAt:o}): row removed, {StorageKey} on {Provider} queued for deletion")]
    public static partial void Purged(ILogger logger, long mediaId, string storageKey, string provider, DateTime purgeAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media {MediaId} not purged: restored or changed since it was read; the next pass looks again")]
    public static partial void PurgeSkipped(ILogger logger, long mediaId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trash emptied by {User}: {Count} media due now")]
    public static partial void TrashEmptied(ILogger logger, string user, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload with Idempotency-Key {IdempotencyKey} replayed: media {MediaId} already exists; nothing stored")]
    public static partial void IdempotentReplay(ILogger logger, long mediaId, string idempotencyKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upload with Idempotency-Key {IdempotencyKey} refused: the key made media {MediaId} from another request; nothing stored")]
    public static partial void IdempotencyMismatch(ILogger logger, long? mediaId, string idempotencyKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upload rejected before storing: {ContentType} of {Width}x{Height} pixels is over the limit (file name {FileName})")]
    public static partial void PixelFloodRejected(ILogger logger, string contentType, int width, int height, string fileName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload rejected: detected type {ContentType} is not allowed (file name {FileName})")]
    public static partial void TypeRejected(ILogger logger, string contentType, string fileName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bulk {Action} {BulkId} by {User}: media {MediaId} result={Status} {Detail}")]
    public static partial void BulkItem(ILogger logger, string action, string bulkId, string user, long mediaId, int status, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bulk {Action} {BulkId} by {User}: {Count} media from {FirstMediaId} not changed, the database failed")]
    public static partial void BulkChunkFailed(ILogger logger, Exception exception, string action, string bulkId, string user, int count, long firstMediaId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media {MediaId} reference {ReferenceKey} {Outcome}")]
    public static partial void ReferencePut(ILogger logger, long mediaId, string referenceKey, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media {MediaId} reference {ReferenceKey} removed")]
    public static partial void ReferenceRemoved(ILogger logger, long mediaId, string referenceKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "References of {ReferenceKey} synced: {Added} added, {Removed} removed, {Total} media now")]
    public static partial void ReferencesSynced(ILogger logger, string referenceKey, int added, int removed, int total);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media {MediaId} not deleted: used in {ReferenceCount} places")]
    public static partial void DeleteRefusedInUse(ILogger logger, long mediaId, int referenceCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media {MediaId} deleted with force although used in {ReferenceCount} places; its references were removed")]
    public static partial void DeletedInUse(ILogger logger, long mediaId, int referenceCount);
}
