namespace MediaLibrary.Api;

/// <summary>A page of history, newest first; <see cref="Next"/> links to the page after it.</summary>
public sealed record HistoryListResponse(string? Next, IReadOnlyList<HistoryEntryResponse> Results);
