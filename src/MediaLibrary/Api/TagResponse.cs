namespace MediaLibrary.Api;

/// <summary>A tag as the spelling it was first given, and how many media have it.</summary>
public sealed record TagResponse(string Name, int Count);
