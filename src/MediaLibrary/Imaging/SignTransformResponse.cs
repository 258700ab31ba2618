namespace MediaLibrary.Imaging;

/// <summary>The signed transform, to put in a derivative URL as it is.</summary>
public sealed record SignTransformResponse(string Transform);
