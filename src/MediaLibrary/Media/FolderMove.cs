namespace MediaLibrary.Media;

/// <summary>A change of folder asked for: into <see cref="FolderId"/>, or to the top when it is null.</summary>
public sealed record FolderMove(long? FolderId);
