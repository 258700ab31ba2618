namespace MediaLibrary.Media;

/// <summary>The media row changed (or went) between reading it and locking it for a change; read it again.</summary>
public sealed class MediaChangedException(long mediaId) : Exception($"Media {mediaId} was changed or deleted by another request meanwhile.")
{
    public long MediaId { get; } = mediaId;
}
