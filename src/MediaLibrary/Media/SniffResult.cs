namespace MediaLibrary.Media;

public sealed record SniffResult(string ContentType, int? Width = null, int? Height = null);
