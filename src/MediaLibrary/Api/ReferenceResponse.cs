using MediaLibrary.Media;

namespace MediaLibrary.Api;

/// <summary>A place that uses a media.</summary>
public sealed record ReferenceResponse(long MediaId, string Key, string Label, string? Url, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static ReferenceResponse From(MediaReference r) => new(r.MediaId, r.Key, r.Label, r.Url, r.CreatedAt, r.UpdatedAt);
}
