namespace MediaLibrary.Api;

/// <summary>
/// PUT /api/media/{id}/references: the place that uses the media. key is the website's own name for it
/// (<c>page:/about</c>, <c>product:42</c>); label is for people (the key when absent); url links to it.
/// </summary>
public sealed record ReferenceRequest(string? Key, string? Label, string? Url);
