namespace MediaLibrary.Media;

/// <summary>
/// Reads an upload's form as it arrives (the endpoint's multipart reader): hands the one file part to
/// <paramref name="onFile"/> while it is still on the wire, and returns the text fields around it.
/// </summary>
public delegate Task<IReadOnlyDictionary<string, string>> UploadReader(Func<IncomingFile, CancellationToken, Task> onFile, CancellationToken ct);
