namespace MediaLibrary.Api;

/// <summary>PATCH body: the new name.</summary>
public sealed record RenameFolderRequest(string? Name);
