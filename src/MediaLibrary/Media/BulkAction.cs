namespace MediaLibrary.Media;

/// <summary>What a bulk request does to each media it names.</summary>
public enum BulkAction
{
    Move,
    Tag,
    Untag,
    Edit,
    Delete,
}
