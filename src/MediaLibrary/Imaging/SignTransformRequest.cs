namespace MediaLibrary.Imaging;

/// <summary>Body of <c>POST /api/images/sign</c>: the transform a website wants beyond the configured widths.</summary>
public sealed record SignTransformRequest(int? Width, int? Height, string? Fit, string? Format, int? Quality);
