using System.Text.Json;

namespace MediaLibrary.Api;

/// <summary>The list's filters in a bulk request's body: folder is a folder's id or "root".</summary>
public sealed record BulkFilter(string? Search, string? ContentType, JsonElement Folder, bool? Recursive, IReadOnlyList<string?>? Tag, bool? Used = null);
