using MediaLibrary.Media;

namespace MediaLibrary.Delivery;

/// <summary>
/// The media object as the API shows it (snake_case on the wire). trashed_at and purge_at are null unless it is in the trash.
/// etag is the ETag header's value, for If-Match (and a bulk request's if_match) from a list as well as from a GET.
/// </summary>
public sealed record MediaResponse(
    long Id,
    string Title,
    string AltText,
    string FileName,
    string ContentType,
    long Size,
    int? Width,
    int? Height,
    string Sha256,
    int Version,
    string Url,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    bool? HasAlpha,
    string? Placeholder,
    string? DominantColor,
    IReadOnlyList<ImageVariant> Variants,
    long? FolderId,
    IReadOnlyList<string> Tags,
    int ReferenceCount,
    DateTime? TrashedAt,
    DateTime? PurgeAt,
    string Etag)
{
    public static MediaResponse From(MediaItem m, string url, IReadOnlyList<ImageVariant> variants, IReadOnlyList<string> tags) => new(
        m.Id, m.Title, m.AltText, m.FileName, m.ContentType, m.Size, m.Width, m.Height, m.Sha256, m.Version,
        url, m.CreatedAt, m.UpdatedAt, m.HasAlpha, m.Placeholder, m.DominantColor, variants, m.FolderId, tags, m.ReferenceCount,
        m.TrashedAt, m.PurgeAt, m.ETag);
}
