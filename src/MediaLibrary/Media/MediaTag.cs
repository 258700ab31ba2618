namespace MediaLibrary.Media;

/// <summary>One tag on one media. Leaves with its media (a cascade in the database); a tag stays while any media has it.</summary>
public sealed class MediaTag
{
    public long MediaId { get; set; }
    public long TagId { get; set; }

    /// <summary>Set only for a media being created, whose id the insert gives.</summary>
    public MediaItem? Media { get; set; }
}
