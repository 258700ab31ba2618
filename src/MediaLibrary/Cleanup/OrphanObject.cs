namespace MediaLibrary.Cleanup;

public sealed record OrphanObject(string Key, long Size, DateTimeOffset LastModified);
