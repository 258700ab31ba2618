namespace MediaLibrary.Media;

/// <summary>
/// A free-form label on media. Unique by <see cref="Key"/> (its case-folded name); <see cref="Name"/> keeps the
/// spelling it was first given. Organisation only, like a folder: never part of a key or a URL.
/// </summary>
public sealed class Tag
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string Key { get; set; }
    public DateTime CreatedAt { get; set; }
}
