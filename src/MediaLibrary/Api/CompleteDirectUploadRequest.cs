namespace MediaLibrary.Api;

/// <summary>The ETag each part's PUT answered with, in the order of the part URLs (S3); nothing for Cloudinary.</summary>
public sealed record CompleteDirectUploadRequest(IReadOnlyList<string>? Etags);
