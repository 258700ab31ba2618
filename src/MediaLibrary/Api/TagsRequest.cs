namespace MediaLibrary.Api;

/// <summary>The body that adds tags to a media: {"tags": ["summer", "beach"]}.</summary>
public sealed record TagsRequest(IReadOnlyList<string?>? Tags);
