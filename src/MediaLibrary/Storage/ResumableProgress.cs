namespace MediaLibrary.Storage;

/// <summary>
/// How far a resumable upload got in storage after an append: its length, and what the storage needs to go on from
/// there (an S3 upload's part ETags), which the caller keeps with the confirmed length and hands back unread.
/// </summary>
public sealed record ResumableProgress(long Length, string? State);
