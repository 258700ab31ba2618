namespace MediaLibrary.Cleanup;

public sealed record DanglingRow(long MediaId, string StorageKey);
