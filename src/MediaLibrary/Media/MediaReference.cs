namespace MediaLibrary.Media;

/// <summary>
/// One place that uses a media: a key the website chose for the page or record (<c>page:/about</c>, <c>product:42</c>),
/// with a label for people and an optional link. One per media and key; leaves with its media (a cascade in the database).
/// </summary>
public sealed class MediaReference
{
    public long MediaId { get; set; }
    public required string Key { get; set; }
    public required string Label { get; set; }
    public string? Url { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
