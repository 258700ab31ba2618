namespace MediaLibrary.Imaging;

/// <summary>A finished render: its size as written and its content type.</summary>
public sealed record RenderResult(int Width, int Height, string ContentType);
