using System.Text.Json;

namespace MediaLibrary.Api;

/// <summary>
/// PUT /api/references: every media that one place uses, as a CMS knows it when it saves a page. Media it no longer
/// lists lose the reference. Ids are read as raw JSON, so that one of another kind gets a clear error.
/// </summary>
public sealed record SyncReferencesRequest(string? Key, string? Label, string? Url, IReadOnlyList<JsonElement>? MediaIds);
