namespace MediaLibrary.Storage;

/// <summary>
/// An upload a client sends to the storage itself: the storage's id for it, the size of each part but the last, and
/// one URL per part (in order) that takes that part's bytes in a PUT and answers with its ETag.
/// </summary>
public sealed record DirectUpload(string UploadId, long PartSize, IReadOnlyList<string> PartUrls);
