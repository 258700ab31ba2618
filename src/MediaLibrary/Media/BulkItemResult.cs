namespace MediaLibrary.Media;

/// <summary>
/// What one media's part of a bulk request came to: the HTTP status its single operation would have answered (200
/// changed or already so, 204 deleted, 400, 404, 412, 503) and, when it is not gone, its ETag after.
/// </summary>
public sealed record BulkItemResult(long Id, int Status, string? Detail = null, string? ETag = null);
