namespace MediaLibrary.Storage;

/// <summary>
/// An upload a client sends to the storage itself: the storage's id for it, the size of each part but the last, and
/// either one URL per part (in order) that takes that part's bytes in a PUT and answers with its ETag (S3), or a
/// <see cref="Form"/> that takes the file, in chunks of the part size when it is larger (Cloudinary).
/// </summary>
public sealed record DirectUpload(string UploadId, long PartSize, IReadOnlyList<string> PartUrls)
{
    public DirectForm? Form { get; init; }
}
