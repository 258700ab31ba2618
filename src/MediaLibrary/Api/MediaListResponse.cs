using MediaLibrary.Delivery;

namespace MediaLibrary.Api;

/// <summary><see cref="CountExact"/> is false when a search matched more than 1,000 media: <see cref="Count"/> is then 1,000.</summary>
public sealed record MediaListResponse(int Count, bool CountExact, string? Next, string? Previous, IReadOnlyList<MediaResponse> Results);
