namespace MediaLibrary.Imaging;

/// <summary>Too many image jobs are waiting; the caller answers 503 with Retry-After.</summary>
public sealed class ImagingBusyException() : Exception("Too many images are being processed; try again shortly.");
