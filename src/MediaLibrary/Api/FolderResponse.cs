using MediaLibrary.Media;

namespace MediaLibrary.Api;

/// <summary>A folder; <see cref="Path"/>, its ancestors from the top down (a breadcrumb), when one folder is asked for.</summary>
public sealed record FolderResponse(long Id, string Name, long? ParentId, int Depth, DateTime CreatedAt, DateTime UpdatedAt, IReadOnlyList<FolderCrumb>? Path)
{
    public static FolderResponse From(Folder f, IReadOnlyList<FolderCrumb>? path = null) => new(f.Id, f.Name, f.ParentId, f.Depth, f.CreatedAt, f.UpdatedAt, path);
}
