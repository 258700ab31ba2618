namespace MediaLibrary.Storage;

public sealed record StoredBlob(string Key, long Size);
