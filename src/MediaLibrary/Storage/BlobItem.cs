namespace MediaLibrary.Storage;

public sealed record BlobItem(string Key, long Size, DateTimeOffset LastModified);
