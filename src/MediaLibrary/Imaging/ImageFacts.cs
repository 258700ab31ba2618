namespace MediaLibrary.Imaging;

/// <summary>What the service learns from an image's pixels at upload.</summary>
public sealed record ImageFacts(int Width, int Height, bool HasAlpha, string Placeholder, string DominantColor);
