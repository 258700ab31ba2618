namespace MediaLibrary.Storage;

/// <summary>
/// Where a storage that takes uploads as signed form posts (Cloudinary) takes a direct upload's file: the URL, the signed
/// fields to send with the file (in each chunk of a large one), and when the signature stops being accepted.
/// </summary>
public sealed record DirectForm(string Url, IReadOnlyDictionary<string, string> Fields, DateTimeOffset ExpiresAt);
