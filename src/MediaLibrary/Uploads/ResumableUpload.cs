namespace MediaLibrary.Uploads;

/// <summary>
/// An upload that arrives in pieces (tus): what was said when it was created, how far it got, the hash so far, and
/// where its bytes wait in storage. Its pending entry in the cleanup queue deletes those bytes if it never finishes.
/// </summary>
public sealed class ResumableUpload
{
    /// <summary>32 random hex digits: the upload's URL.</summary>
    public required string Id { get; set; }

    /// <summary>The subject of the token that created it; no one else sees it.</summary>
    public required string Owner { get; set; }

    public long Length { get; set; }

    /// <summary>How many bytes are stored and hashed.</summary>
    public long Offset { get; set; }

    public required string FileName { get; set; }
    public string? Title { get; set; }
    public string? AltText { get; set; }
    public string? FolderId { get; set; }
    public string? Tags { get; set; }

    public required string StorageId { get; set; }
    public required string StorageKey { get; set; }
    public required string Provider { get; set; }

    /// <summary>The storage's id of what the upload holds so far (a local temporary file's name).</summary>
    public string? StorageUploadId { get; set; }

    /// <summary>What the storage needs to go on from <see cref="Offset"/> (an S3 upload's part ETags), kept as it returned it.</summary>
    public string? StorageState { get; set; }

    /// <summary>A direct upload: the client sends the parts to the storage itself, and no tus request reaches it.</summary>
    public bool Direct { get; set; }

    /// <summary>The SHA-256 a direct upload's client announced, checked against the stored bytes (lower-case hex).</summary>
    public string? ExpectedSha256 { get; set; }

    /// <summary>The cleanup queue's entry that deletes the bytes should the upload expire or be terminated.</summary>
    public long EntryId { get; set; }

    /// <summary><see cref="ResumableSha256"/>'s state after <see cref="Offset"/> bytes.</summary>
    public required byte[] HashState { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>Pushed on with every piece; an unfinished upload is gone after it.</summary>
    public DateTime ExpiresAt { get; set; }

    /// <summary>While in the future, one request is appending.</summary>
    public DateTime? LeaseUntil { get; set; }

    /// <summary>The media the upload became, once finished.</summary>
    public long? MediaId { get; set; }

    /// <summary>The text fields, as an upload's form would carry them.</summary>
    public Dictionary<string, string> Fields()
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Title is not null) fields["title"] = Title;
        if (AltText is not null) fields["alt_text"] = AltText;
        if (FolderId is not null) fields["folder_id"] = FolderId;
        if (Tags is not null) fields["tags"] = Tags;
        return fields;
    }
}
