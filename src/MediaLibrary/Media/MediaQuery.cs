namespace MediaLibrary.Media;

/// <summary>
/// A page of the list: by number (<see cref="Page"/>) or after/before a <see cref="Cursor"/> from a next/previous link.
/// <see cref="Tags"/>: ids of tags the media must all have. <see cref="Used"/>: only media used somewhere (true) or nowhere (false).
/// </summary>
public sealed record MediaQuery(int Page, int PageSize, string? Search, string? ContentType, MediaOrdering Ordering, MediaCursor? Cursor = null,
    FolderFilter? Folder = null, IReadOnlyList<long>? Tags = null, bool? Used = null);
