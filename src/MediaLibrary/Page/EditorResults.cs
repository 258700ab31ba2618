using MediaLibrary.Delivery;

namespace MediaLibrary.Page;

/// <summary>One page of the library as the page shows it: the cards, the count, whether there is a next page, and the folders.</summary>
public sealed record EditorResults(IReadOnlyList<MediaResponse> Items, int Count, bool CountExact, bool HasNext, EditorFolders Folders);
