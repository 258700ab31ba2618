using MediaLibrary.Media;

namespace MediaLibrary.Page;

/// <summary>The folder sidebar: the folder shown (null: all media), its ancestors from the top, and the folders in it.</summary>
public sealed record EditorFolders(Folder? Current, IReadOnlyList<Folder> Ancestors, IReadOnlyList<Folder> Children);
