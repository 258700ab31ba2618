using MediaLibrary.Media;

namespace MediaLibrary.Api;

/// <summary>
/// What a bulk request did: one result per media, in the order named (or selected). <see cref="More"/>: the filter
/// selected more than the limit, and the rest were left for another request.
/// </summary>
public sealed record BulkResponse(string Action, int Selected, bool More, int Succeeded, int Failed, IReadOnlyList<BulkItemResult> Results);
