namespace MediaLibrary.Media;

/// <summary>How many media there are of one content type. Triggers keep it in step with every insert, delete and type change.</summary>
public sealed class MediaCount
{
    public required string ContentType { get; set; }
    public long Count { get; set; }
}
