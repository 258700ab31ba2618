namespace MediaLibrary.Media;

/// <summary>A media item: one row, one current stored file. Never bound from a request body.</summary>
public sealed class MediaItem
{
    public long Id { get; set; }

    /// <summary>Server-generated identity used as the first storage-key segment; unique, never reused.</summary>
    public required string StorageId { get; set; }

    public required string Title { get; set; }
    public required string AltText { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public int? Width { get; set; }
    public int? Height { get; set; }
    public required string Sha256 { get; set; }

    /// <summary>Decoded raster images only: whether it has an alpha channel, a tiny preview (data URI) and its dominant colour.</summary>
    public bool? HasAlpha { get; set; }
    public string? Placeholder { get; set; }
    public string? DominantColor { get; set; }

    /// <summary>File version: starts at 1, +1 on every replace. Part of the delivery URL.</summary>
    public int Version { get; set; }

    /// <summary>The key as the storage returned it (never recomputed).</summary>
    public required string StorageKey { get; set; }

    public required string StorageProvider { get; set; }

    /// <summary>The folder it is in; null at the top. Organisation only: never part of a key or a URL.</summary>
    public long? FolderId { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>
    /// How many places use it (<see cref="MediaReference"/>): recounted from them in the transaction of each reference
    /// change, under the row's lock. Not part of the ETag: a website registering a use does not make an editor's copy stale.
    /// </summary>
    public int ReferenceCount { get; set; }

    /// <summary>
    /// When it went to the trash; null while it is in the library. A trashed media is in no list and its file URLs
    /// answer 404, but its row, objects, tags and references stay until it is restored or purged.
    /// </summary>
    public DateTime? TrashedAt { get; set; }

    /// <summary>When the worker purges it from the trash (set when trashed: MEDIALIB_TRASH_DAYS later; now when the trash is emptied).</summary>
    public DateTime? PurgeAt { get; set; }

    /// <summary>Set by the reconciler when the stored object is missing (a dangling row); cleared when it is back.</summary>
    public DateTime? MissingSince { get; set; }

    /// <summary>Bumped on every change; the optimistic concurrency token and the ETag.</summary>
    public int Revision { get; set; }

    public string ETag => $"\"{Id}-{Revision}\"";

    /// <summary>
    /// PostgreSQL only (SQLite's model leaves it out): the ids of its tags, in order, a copy of its media_tags rows
    /// written in the same statement or transaction as they are. A GIN index on it is ANDed with the search's trigram
    /// index, so a common tag with a common word is counted from the two indexes' bitmaps instead of row by row.
    /// </summary>
    public long[] TagIds { get; set; } = [];

    /// <summary>
    /// What <c>search</c> matches: title, alt text and file name, case-folded, one per line. Computed from them, so
    /// it cannot drift; stored so that a trigram index can serve it (FTS5 on SQLite, pg_trgm on PostgreSQL).
    /// </summary>
    public string SearchText
    {
        get => MediaSearch.Fold($"{Title}\n{AltText}\n{FileName}");
        private set { } // read back from the database only to be recomputed
    }
}
