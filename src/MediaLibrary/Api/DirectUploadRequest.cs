namespace MediaLibrary.Api;

/// <summary>
/// A direct upload to begin: the file's name, its size in bytes, its type as the client knows it (checked against the
/// bytes at the end), the fields an upload takes, and optionally its SHA-256 (hex), which the stored bytes must match.
/// </summary>
public sealed record DirectUploadRequest(
    string? FileName, long Size, string? ContentType, string? Title, string? AltText, long? FolderId, IReadOnlyList<string>? Tags, string? Sha256);
