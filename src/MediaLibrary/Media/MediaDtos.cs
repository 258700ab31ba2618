namespace MediaLibrary.Media;

/// <summary>The media object as the API shows it (snake_case on the wire).</summary>
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
    IReadOnlyList<ImageVariant> Variants)
{
    public static MediaResponse From(Media m, string url, IReadOnlyList<ImageVariant> variants) => new(
        m.Id, m.Title, m.AltText, m.FileName, m.ContentType, m.Size, m.Width, m.Height, m.Sha256, m.Version,
        url, m.CreatedAt, m.UpdatedAt, m.HasAlpha, m.Placeholder, m.DominantColor, variants);
}

/// <summary>One rendered size of an image, for <c>srcset</c>; empty for files that are not decoded raster images.</summary>
public sealed record ImageVariant(int Width, int Height, string Format, string Url);

/// <summary><see cref="CountExact"/> is false when a search matched more than 1,000 media: <see cref="Count"/> is then 1,000.</summary>
public sealed record MediaListResponse(int Count, bool CountExact, string? Next, string? Previous, IReadOnlyList<MediaResponse> Results);

/// <summary>PATCH body: a missing or null field is left as it is.</summary>
public sealed record UpdateMediaRequest(string? Title, string? AltText);

public enum MediaOrdering { CreatedAt, CreatedAtDesc, Title, TitleDesc, Size, SizeDesc }

/// <summary>A page of the list: by number (<see cref="Page"/>) or after/before a <see cref="Cursor"/> from a next/previous link.</summary>
public sealed record MediaQuery(int Page, int PageSize, string? Search, string? ContentType, MediaOrdering Ordering, MediaCursor? Cursor = null);
