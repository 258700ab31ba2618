namespace MediaLibrary.Media;

/// <summary>
/// A folder of the library: organisation only. It is never part of a storage key or a URL, so renaming or moving one
/// touches no stored object and breaks no website.
/// </summary>
public sealed class Folder
{
    public long Id { get; set; }

    /// <summary>The folder it is in; null at the top of the tree.</summary>
    public long? ParentId { get; set; }

    public required string Name { get; set; }

    /// <summary>The name case-folded: names are unique among siblings whatever their case.</summary>
    public required string NameKey { get; set; }

    /// <summary>The ids from the top of the tree down to this folder, as "/1/5/9/": a subtree is every path that starts with it.</summary>
    public required string Path { get; set; }

    /// <summary>1 at the top of the tree.</summary>
    public int Depth { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
