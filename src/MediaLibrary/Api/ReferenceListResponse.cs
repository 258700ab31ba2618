namespace MediaLibrary.Api;

/// <summary>A media's references, by key.</summary>
public sealed record ReferenceListResponse(int Count, IReadOnlyList<ReferenceResponse> Results);
