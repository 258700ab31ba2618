namespace MediaLibrary.Media;

public sealed record MediaPage(int Count, List<MediaItem> Items, MediaCursor? Next, MediaCursor? Previous)
{
    /// <summary>False when a search found more than <see cref="MediaQueries.CountCap"/> and stopped counting.</summary>
    public bool CountExact { get; init; } = true;
}
