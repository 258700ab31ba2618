using MediaLibrary.Delivery;

namespace MediaLibrary.Page;

/// <summary>One page of the library as the page shows it: the cards, the count and whether there is a next page.</summary>
public sealed record EditorResults(IReadOnlyList<MediaResponse> Items, int Count, bool CountExact, bool HasNext);
