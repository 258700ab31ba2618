namespace MediaLibrary.Media;

/// <summary>A tag and how many media have it.</summary>
public sealed record TagCount(string Name, int Count);
