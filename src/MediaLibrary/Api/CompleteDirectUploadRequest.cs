namespace MediaLibrary.Api;

/// <summary>The ETag each part's PUT answered with, in the order of the part URLs.</summary>
public sealed record CompleteDirectUploadRequest(IReadOnlyList<string>? Etags);
