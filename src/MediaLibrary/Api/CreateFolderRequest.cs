namespace MediaLibrary.Api;

/// <summary>POST body: the name, and the folder to make it in (none: at the top).</summary>
public sealed record CreateFolderRequest(string? Name, long? ParentId);
