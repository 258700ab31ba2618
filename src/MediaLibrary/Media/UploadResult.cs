namespace MediaLibrary.Media;

/// <summary>The media an upload created; <see cref="Replayed"/> when an earlier upload with the same Idempotency-Key did.</summary>
public sealed record UploadResult(MediaItem Media, IReadOnlyList<string> Tags, bool Replayed);
