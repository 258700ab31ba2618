namespace MediaLibrary.Media;

/// <summary>
/// A change of a media's metadata: what is null stays as it is. The one shape that PATCH, the tag endpoints and the
/// bulk operations hand to <see cref="MediaLifecycle.UpdateAsync"/>, so each item of a bulk request is checked like a single edit.
/// </summary>
public sealed record MediaEdit(string? Title = null, string? AltText = null, FolderMove? Move = null, TagChange? Tags = null);
