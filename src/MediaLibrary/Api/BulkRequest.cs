using System.Text.Json;

namespace MediaLibrary.Api;

/// <summary>
/// POST /api/media/bulk: an <see cref="Action"/> (move, tag, untag, edit, delete) for the media named by
/// <see cref="Ids"/>, or for those a list <see cref="Filter"/> selects (newest first, at most <see cref="Limit"/>).
/// move takes folder_id (null: the top); tag and untag take tags; edit takes title and/or alt_text. if_match maps a
/// media id to the ETag it must still have. force (delete only) deletes media in use too; permanent (delete only) deletes for good instead of
/// to the trash, media in the trash too. Ids are read as raw JSON, so that one of another kind gets a clear error.
/// </summary>
public sealed record BulkRequest(
    string? Action,
    IReadOnlyList<JsonElement>? Ids,
    BulkFilter? Filter,
    int? Limit,
    JsonElement FolderId,
    IReadOnlyList<string?>? Tags,
    string? Title,
    string? AltText,
    IReadOnlyDictionary<string, string>? IfMatch,
    bool? Force = null,
    bool? Permanent = null);
