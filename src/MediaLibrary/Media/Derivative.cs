namespace MediaLibrary.Media;

/// <summary>
/// A rendered size/format of one media version, stored beside its original. The row is written before the object
/// (a claim, <see cref="Ready"/> false) so that a replace or delete always sees, and queues, every key that may exist.
/// </summary>
public sealed class Derivative
{
    public long Id { get; set; }
    public long MediaId { get; set; }
    public int Version { get; set; }

    /// <summary>The canonical transform, with the concrete format (never auto) and without the signature.</summary>
    public required string Transform { get; set; }

    public required string StorageKey { get; set; }
    public required string StorageProvider { get; set; }
    public string ContentType { get; set; } = "";
    public long Size { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    public bool Ready { get; set; }

    /// <summary>When the current render claimed the row; a claim older than the render timeout may be taken over.</summary>
    public DateTime ClaimedAt { get; set; }

    public DateTime CreatedAt { get; set; }
}
