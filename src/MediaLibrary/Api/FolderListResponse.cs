namespace MediaLibrary.Api;

/// <summary>The folders directly in one folder (or at the top), by name.</summary>
public sealed record FolderListResponse(long? ParentId, IReadOnlyList<FolderResponse> Results);
