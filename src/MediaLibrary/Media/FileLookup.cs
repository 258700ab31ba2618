namespace MediaLibrary.Media;

/// <summary>What serving one version's original needs from its row.</summary>
public sealed record FileLookup(long Id, int Version, string StorageKey, string StorageProvider, string ContentType, string FileName, string Sha256);
