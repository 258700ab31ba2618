namespace MediaLibrary.Media;

/// <summary>What a delete did: nothing (no such media in the library), moved it to the trash, or deleted it for good.</summary>
public enum DeleteOutcome
{
    NotFound,
    Trashed,
    Deleted,
}
