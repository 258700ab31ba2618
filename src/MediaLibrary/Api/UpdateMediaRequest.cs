namespace MediaLibrary.Api;

/// <summary>PATCH body: a missing or null field is left as it is.</summary>
public sealed record UpdateMediaRequest(string? Title, string? AltText);
