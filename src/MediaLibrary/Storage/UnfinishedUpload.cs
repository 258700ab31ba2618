namespace MediaLibrary.Storage;

/// <summary>
/// What an upload that never finished left in a storage: an S3 multipart upload (its key and id), a local temporary
/// file (its name; the key is not known from it).
/// </summary>
public sealed record UnfinishedUpload(string? Key, string UploadId, DateTimeOffset StartedAt);
