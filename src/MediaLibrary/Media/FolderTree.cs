using MediaLibrary.Data;
using MediaLibrary.Web;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Media;

/// <summary>
/// The folder tree: create, rename, move, delete, and reads with the path from the top. Every change runs in a
/// transaction that holds the tree's lock (PostgreSQL: an advisory lock; SQLite: its transactions already take turns),
/// so two moves can never make a cycle between them and a sibling name is checked against what is there.
/// </summary>
public sealed partial class FolderTree(MediaDbContext db, TimeProvider time, IEnumerable<IFolderFeed> feeds, ILogger<FolderTree> logger)
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
        Tell(folder, "created", null);
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
        var before = folder.Name;
        (folder.Name, folder.NameKey, folder.UpdatedAt) = (clean, FolderNames.Key(clean), Now());
        Tell(folder, "renamed", new { name = new { before, after = clean } });
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
        var from = folder.ParentId;
        (folder.ParentId, folder.Path, folder.Depth, folder.UpdatedAt) = (parentId, newPath, folder.Depth + shift, now);
        if (Tell(folder, "moved", new { parent_id = new { before = from, after = parentId } })) await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        LogMoved(folder.Id, oldPath, newPath);
        return folder;
    }

    /// <summary>
    /// Deletes a folder. Without <paramref name="withFolders"/> it must be empty; with it, the folders below go too, but
    /// only once no media is left anywhere in them (the caller deletes those first): otherwise 409, and nothing changes.
    /// Media in the trash do not keep a folder: they are put at the top, where a restore brings them back.
    /// </summary>
    public async Task<bool> DeleteAsync(long id, bool withFolders, CancellationToken ct)
    {
        await using var tx = await LockAsync(ct);
        var folder = await db.Folders.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, ct);
        if (folder is null) return false;
        var path = folder.Path;
        var subtree = Subtree(path);
        if (!withFolders && await db.Folders.AnyAsync(f => f.ParentId == id, ct))
            throw NotEmpty(id, "other folders; delete or move them first, or delete it with its contents");
        if (await db.Media.AnyAsync(m => m.TrashedAt == null && subtree.Contains(m.FolderId), ct))
            throw NotEmpty(id, "media; move or delete them first, or delete it with its contents");
        await db.Media.Where(m => m.TrashedAt != null && subtree.Contains(m.FolderId))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.FolderId, (long?)null).SetProperty(m => m.Revision, m => m.Revision + 1), ct);
        // Deepest first: SQLite checks the parent reference row by row.
        var deleted = 0;
        for (var depth = await db.Folders.Where(f => f.Path.StartsWith(path)).MaxAsync(f => f.Depth, ct); depth >= folder.Depth; depth--)
            deleted += await db.Folders.Where(f => f.Path.StartsWith(path) && f.Depth == depth).ExecuteDeleteAsync(ct);
        if (Tell(folder, "deleted", new { folders_deleted = deleted })) await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        LogDeleted(folder.Id, folder.Path, deleted);
        return true;
    }

    /// <summary>Tells every feed of the change; true when one added something for the change's transaction to save.</summary>
    private bool Tell(Folder folder, string action, object? details)
    {
        var added = false;
        foreach (var feed in feeds) added |= feed.FolderChanged(folder, action, details);
        return added;
    }

    /// <summary>Up to <paramref name="count"/> media (not in the trash) anywhere in the folder or below it, for a deletion with contents.</summary>
    public async Task<List<long>> MediaBelowAsync(Folder folder, int count, CancellationToken ct)
    {
        var subtree = Subtree(folder.Path);
        return await db.Media.Where(m => m.TrashedAt == null && subtree.Contains(m.FolderId)).OrderBy(m => m.Id).Select(m => m.Id).Take(count).ToListAsync(ct);
    }

    /// <summary>The first media (by id) in the folder or below it that are used somewhere, up to the number a conflict names.</summary>
    public async Task<List<long>> UsedMediaBelowAsync(Folder folder, CancellationToken ct)
    {
        var subtree = Subtree(folder.Path);
        return await db.Media.Where(m => m.TrashedAt == null && subtree.Contains(m.FolderId) && m.ReferenceCount > 0).OrderBy(m => m.Id).Select(m => m.Id)
            .Take(MediaReferences.ShownInConflict).ToListAsync(ct);
    }

    /// <summary>
    /// A transaction for changes that may put media into <paramref name="folderId"/> (null: the top), with the folder
    /// checked inside it and, on PostgreSQL, the tree's lock held shared, so a deletion of the folder cannot pass it
    /// (SQLite's writers take turns anyway). Taken before any media row is locked, always in that order.
    /// </summary>
    public async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> BeginIntoAsync(long? folderId, CancellationToken ct)
    {
        var tx = folderId is null ? await db.Database.BeginTransactionAsync(ct) : await LockAsync(ct, shared: true);
        try
        {
            if (folderId is { } id && !await db.Folders.AnyAsync(f => f.Id == id, ct))
                throw new RequestValidationException(new Dictionary<string, string[]> { ["folder_id"] = [$"There is no folder with id {id}."] });
            return tx;
        }
        catch
        {
            await tx.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A transaction holding the tree's lock shared (PostgreSQL; SQLite's writers take turns): no folder is deleted until
    /// it ends, so a folder found in it stays. For a restore, which puts media back into their folder or else at the top.
    /// </summary>
    public Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> BeginSharedAsync(CancellationToken ct) => LockAsync(ct, shared: true);

    /// <summary>The ids of the folder at <paramref name="path"/> and of every folder below it.</summary>
    public IQueryable<long?> Subtree(string path) => db.Folders.Where(f => f.Path.StartsWith(path)).Select(f => (long?)f.Id);

    /// <summary>A transaction holding the tree's lock: exclusive for changes to the tree, shared for putting media in it.</summary>
    private async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> LockAsync(CancellationToken ct, bool shared = false)
    {
        var tx = await db.Database.BeginTransactionAsync(ct); // SQLite: BEGIN IMMEDIATE, one writer at a time
        if (db.Database.IsNpgsql())
            await (shared
                ? db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock_shared({TreeLock})", ct)
                : db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({TreeLock})", ct));
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

    private static ApiProblemException NotEmpty(long id, string what) =>
        new(StatusCodes.Status409Conflict, "The folder is not empty.", $"Folder {id} (or a folder in it) holds {what}.");

    private static ApiProblemException ParentNotFound(long id) =>
        new(StatusCodes.Status404NotFound, "Parent folder not found.", $"There is no folder with id {id} to put it in.");

    private static ApiProblemException TooDeep() =>
        new(StatusCodes.Status409Conflict, "The tree would be too deep.", $"Folders nest at most {FolderNames.MaxDepth} deep.");


    private DateTime Now() => StoredTime.Now(time);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created folder {FolderId} in {ParentId} at {Path}")]
    private partial void LogCreated(long folderId, long? parentId, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Renamed folder {FolderId} at {Path}")]
    private partial void LogRenamed(long folderId, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved folder {FolderId} from {OldPath} to {Path}: no stored object or URL changed")]
    private partial void LogMoved(long folderId, string oldPath, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted folder {FolderId} at {Path} ({Count} folders with those below it)")]
    private partial void LogDeleted(long folderId, string path, int count);
}
