namespace MediaLibrary.Api;

/// <summary>Tags in use, most used first.</summary>
public sealed record TagListResponse(IReadOnlyList<TagResponse> Results);
