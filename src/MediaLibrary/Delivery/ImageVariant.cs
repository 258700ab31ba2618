namespace MediaLibrary.Delivery;

/// <summary>One rendered size of an image, for <c>srcset</c>; empty for files that are not decoded raster images.</summary>
public sealed record ImageVariant(int Width, int Height, string Format, string Url);
