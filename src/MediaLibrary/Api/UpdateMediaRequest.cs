using System.Text.Json;

namespace MediaLibrary.Api;

/// <summary>
/// PATCH body: a missing or null title or alt text is left as it is. folder_id moves the media: a folder's id, or null
/// for the top; missing leaves it where it is (so it is read as raw JSON, where missing and null differ). tags, when
/// given, is the whole new list ([] removes them all).
/// </summary>
public sealed record UpdateMediaRequest(string? Title, string? AltText, JsonElement FolderId, IReadOnlyList<string?>? Tags = null);
