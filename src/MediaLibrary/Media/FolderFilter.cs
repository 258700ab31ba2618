namespace MediaLibrary.Media;

/// <summary>
/// The list's folder filter: the media directly in a folder (<see cref="Path"/> null: at the top), or with
/// <see cref="Recursive"/> everything below it too.
/// </summary>
public sealed record FolderFilter(long? Id, string? Path, bool Recursive);
