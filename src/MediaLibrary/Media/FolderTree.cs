using MediaLibrary.Data;
using MediaLibrary.Web;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Media;

/// <summary>
/// The folder tree: create, rename, move, delete, and reads with the path from the top. Every change runs in a
/// transaction that holds the tree's lock (PostgreSQL: an advisory lock; SQLite: its transactions already take turns),
/// so two moves can never make a cycle between them and a sibling name is checked against what is there.
/// </summary>
public sealed partial class FolderTree(MediaDbContext db, TimeProvider time, ILogger<FolderTree> logger)
{
    /// <summary>The advisory lock that orders changes to the tree on PostgreSQL.</summary>
    private const long TreeLock = 0x4D4C_466F_6C64;

    public Task<Folder?> FindAsync(long id, CancellationToken ct) => db.Folders.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, ct);

    /// <summary>The folders from the top of the tree down to this one's parent, in that order.</summary>
    public async Task<List<Folder>> AncestorsAsync(Folder folder, CancellationToken ct)
    {
        var ids = folder.Path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).Where(id => id != folder.Id).ToList();
        var found = await db.Folders.AsNoTracking().Where(f => ids.Contains(f.Id)).ToListAsync(ct);
        return found.OrderBy(f => f.Depth).ToList();
    }

    /// <summary>The folders directly in <paramref name="parentId"/> (null: at the top), by name.</summary>
    public async Task<List<Folder>?> ChildrenAsync(long? parentId, CancellationToken ct)
    {
        if (parentId is { } p && !await db.Folders.AnyAsync(f => f.Id == p, ct)) return null;
        return await db.Folders.AsNoTracking().Where(f => f.ParentId == parentId).OrderBy(f => f.NameKey).ThenBy(f => f.Id).ToListAsync(ct);
    }

    public async Task<Folder> CreateAsync(string? name, long? parentId, CancellationToken ct)
    {
        var clean = CleanName(name);
        await using var tx = await LockAsync(ct);
        var parent = parentId is { } p ? await db.Folders.FirstOrDefaultAsync(f => f.Id == p, ct) ?? throw ParentNotFound(p) : null;
        var depth = (parent?.Depth ?? 0) + 1;
        if (depth > FolderNames.MaxDepth) throw TooDeep();
        await EnsureNameFreeAsync(parentId, clean, null, ct);
        var now = Now();
        var folder = new Folder { ParentId = parentId, Name = clean, NameKey = FolderNames.Key(clean), Path = "", Depth = depth, CreatedAt = now, UpdatedAt = now };
        db.Folders.Add(folder);
        await db.SaveChangesAsync(ct); // the id, for the path
        folder.Path = $"{parent?.Path ?? "/"}{folder.Id}/";
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        LogCreated(folder.Id, folder.ParentId, folder.Path);
        return folder;
    }

    public async Task<Folder?> RenameAsync(long id, string? name, CancellationToken ct)
    {
        var clean = CleanName(name);
        await using var tx = await LockAsync(ct);
        var folder = await db.Folders.FirstOrDefaultAsync(f => f.Id == id, ct);
        if (folder is null) return null;
        if (folder.Name == clean) return folder;
        await EnsureNameFreeAsync(folder.ParentId, clean, folder.Id, ct);
        (folder.Name, folder.NameKey, folder.UpdatedAt) = (clean, FolderNames.Key(clean), Now());
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        LogRenamed(folder.Id, folder.Path);
        return folder;
    }

    /// <summary>Moves the folder and everything in it under <paramref name="parentId"/> (null: to the top).</summary>
    public async Task<Folder?> MoveAsync(long id, long? parentId, CancellationToken ct)
    {
        await using var tx = await LockAsync(ct);
        var folder = await db.Folders.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, ct);
        if (folder is null) return null;
        if (folder.ParentId == parentId) return folder;
        var parent = parentId is { } p ? await db.Folders.AsNoTracking().FirstOrDefaultAsync(f => f.Id == p, ct) ?? throw ParentNotFound(p) : null;
        if (parent is not null && parent.Path.StartsWith(folder.Path, StringComparison.Ordinal))
            throw new ApiProblemException(StatusCodes.Status409Conflict, "A folder cannot move into itself.",
                $"Folder {parent.Id} is folder {folder.Id} or inside it: the move would make a cycle.");
        var oldPath = folder.Path;
        var deepest = await db.Folders.Where(f => f.Path.StartsWith(oldPath)).MaxAsync(f => f.Depth, ct);
        var shift = (parent?.Depth ?? 0) + 1 - folder.Depth;
        if (deepest + shift > FolderNames.MaxDepth) throw TooDeep();
        await EnsureNameFreeAsync(parentId, folder.Name, folder.Id, ct);

        var newPath = $"{parent?.Path ?? "/"}{folder.Id}/";
        var cut = oldPath.Length;
        // The folder and everything below it: a new path prefix and depth. No media row and no stored object changes.
        await db.Folders.Where(f => f.Path.StartsWith(oldPath)).ExecuteUpdateAsync(s => s
            .SetProperty(f => f.Path, f => newPath + f.Path.Substring(cut))
            .SetProperty(f => f.Depth, f => f.Depth + shift), ct);
        var now = Now();
        await db.Folders.Where(f => f.Id == id).ExecuteUpdateAsync(s => s.SetProperty(f => f.ParentId, parentId).SetProperty(f => f.UpdatedAt, now), ct);
        await tx.CommitAsync(ct);
        (folder.ParentId, folder.Path, folder.Depth, folder.UpdatedAt) = (parentId, newPath, folder.Depth + shift, now);
        LogMoved(folder.Id, oldPath, newPath);
        return folder;
    }

    /// <summary>Deletes an empty folder; one with folders in it is refused (409), and the caller says so.</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken ct)
    {
        await using var tx = await LockAsync(ct);
        var folder = await db.Folders.FirstOrDefaultAsync(f => f.Id == id, ct);
        if (folder is null) return false;
        if (await db.Folders.AnyAsync(f => f.ParentId == id, ct))
            throw new ApiProblemException(StatusCodes.Status409Conflict, "The folder is not empty.",
                $"Folder {id} holds other folders; delete or move them first.");
        db.Folders.Remove(folder);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        LogDeleted(folder.Id, folder.Path);
        return true;
    }

    private async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> LockAsync(CancellationToken ct)
    {
        var tx = await db.Database.BeginTransactionAsync(ct); // SQLite: BEGIN IMMEDIATE, one writer at a time
        if (db.Database.IsNpgsql()) await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({TreeLock})", ct);
        return tx;
    }

    private async Task EnsureNameFreeAsync(long? parentId, string name, long? self, CancellationToken ct)
    {
        var key = FolderNames.Key(name);
        if (await db.Folders.AnyAsync(f => f.ParentId == parentId && f.NameKey == key && f.Id != self, ct))
            throw new ApiProblemException(StatusCodes.Status409Conflict, "A folder of that name is already there.",
                $"'{name}' is taken (names are compared without regard to case) in {(parentId is null ? "the top folder" : $"folder {parentId}")}.");
    }

    private static string CleanName(string? name)
    {
        var (clean, error) = FolderNames.Clean(name);
        return clean ?? throw new RequestValidationException(new Dictionary<string, string[]> { ["name"] = [error!] });
    }

    private static ApiProblemException ParentNotFound(long id) =>
        new(StatusCodes.Status404NotFound, "Parent folder not found.", $"There is no folder with id {id} to put it in.");

    private static ApiProblemException TooDeep() =>
        new(StatusCodes.Status409Conflict, "The tree would be too deep.", $"Folders nest at most {FolderNames.MaxDepth} deep.");

    private DateTime Now()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created folder {FolderId} in {ParentId} at {Path}")]
    private partial void LogCreated(long folderId, long? parentId, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Renamed folder {FolderId} at {Path}")]
    private partial void LogRenamed(long folderId, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved folder {FolderId} from {OldPath} to {Path}: no stored object or URL changed")]
    private partial void LogMoved(long folderId, string oldPath, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted folder {FolderId} at {Path}")]
    private partial void LogDeleted(long folderId, string path);
}
