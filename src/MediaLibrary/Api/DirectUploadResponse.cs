namespace MediaLibrary.Api;

/// <summary>
/// A direct upload begun: its id, the storage it goes to, and how to send the file there before <c>expires_at</c>.
/// <list type="bullet">
/// <item><c>s3</c>: one presigned URL per part of <c>part_size</c> bytes (the last may be shorter), in order. PUT each
/// part's bytes to its URL, keep the ETag each answers with, and complete the upload with them.</item>
/// <item><c>cloudinary</c>: POST the file as multipart form data (a <c>file</c> field and every one of <c>fields</c>,
/// unchanged) to <c>upload_url</c>. A file larger than <c>part_size</c> goes in chunks of that size, in order, each with
/// <c>Content-Range: bytes start-end/-1</c> (the last with the file's length for -1) and
/// <c>X-Unique-Upload-Id: chunk_upload_id</c>. Then complete the upload (no ETags).</item>
/// </list>
/// </summary>
public sealed record DirectUploadResponse(string Id, string Storage, long PartSize, IReadOnlyList<string> PartUrls,
    string? UploadUrl, IReadOnlyDictionary<string, string>? Fields, string? ChunkUploadId, DateTime ExpiresAt);
