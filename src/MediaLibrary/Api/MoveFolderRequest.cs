namespace MediaLibrary.Api;

/// <summary>Move body: the folder to move into; null moves it to the top.</summary>
public sealed record MoveFolderRequest(long? ParentId);
