namespace MediaLibrary.Api;

/// <summary>
/// A direct upload begun: its id, the size of every part but the last, and one presigned URL per part, in order. PUT
/// each part's bytes to its URL, keep the ETag each answers with, and complete the upload with them before it expires.
/// </summary>
public sealed record DirectUploadResponse(string Id, long PartSize, IReadOnlyList<string> PartUrls, DateTime ExpiresAt);
