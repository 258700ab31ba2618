namespace MediaLibrary.Api;

/// <summary>One step of a folder's path from the top.</summary>
public sealed record FolderCrumb(long Id, string Name);
