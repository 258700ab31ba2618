using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Storage.Local;

/// <summary>
/// Objects as files below one root folder; writes go to a temp file first and are renamed into place. Durable before
/// the row commits: the file is flushed to disk before the rename, and the folders whose entries changed after it
/// (the object's folder, and the parent of each folder the write created); a deletion flushes the folder it changed.
/// </summary>
public sealed class LocalBlobStore : IBlobStore
{
    private const string TempFolder = ".tmp";
    private readonly string _root;

    /// <summary>Temp files older than this belong to uploads that died with their process.</summary>
    public static readonly TimeSpan StaleTempAge = TimeSpan.FromDays(1);

    public LocalBlobStore(IOptions<LocalStorageOptions> options)
    {
        _root = Path.GetFullPath(options.Value.Root);
        var temp = Directory.CreateDirectory(Path.Combine(_root, TempFolder));
        foreach (var file in temp.EnumerateFiles().Where(f => f.LastWriteTimeUtc < DateTime.UtcNow - StaleTempAge))
        {
            try { file.Delete(); }
            catch (IOException) { } // in use after all: the next start tries again
        }
    }

    public const string ProviderName = "local";

    public string Provider => ProviderName;

    public string Describe() => $"local ({_root})";

    public Task<StoredBlob> UploadAsync(string key, Stream content, string contentType, CancellationToken ct) =>
        UploadAsync(key, content, contentType, null, ct);

    /// <summary>Reports the temporary file's name before writing to it: a process killed mid-way leaves only that.</summary>
    public async Task<StoredBlob> UploadAsync(string key, Stream content, string contentType, Func<string, CancellationToken, Task>? started, CancellationToken ct)
    {
        var path = PathFor(key);
        if (File.Exists(path)) throw new BlobAlreadyExistsException(Provider, key);
        var name = Guid.NewGuid().ToString("n");
        var temp = Path.Combine(_root, TempFolder, name);
        if (started is not null) await started(name, ct);
        try
        {
            await using (var file = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous, BufferSize = 0,
            }))
            {
                await WriteBehind.CopyAsync(content, file, ct);
                file.Flush(flushToDisk: true);
            }
            return MoveIntoPlace(key, path, temp);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException(Provider, key, $"Writing '{key}' failed: {ex.Message}", ex);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public bool Resumable => true;

    /// <summary>A resumable upload is a temporary file of its own, appended to, and moved to its key when complete.</summary>
    public Task<string> BeginResumableAsync(string key, string contentType, CancellationToken ct)
    {
        PathFor(key);
        var name = Guid.NewGuid().ToString("n");
        try
        {
            File.Create(TempPath(key, name)).Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException(Provider, key, $"Beginning an upload to '{key}' failed: {ex.Message}", ex);
        }
        return Task.FromResult(name);
    }

    public async Task<ResumableProgress> AppendResumableAsync(string key, string uploadId, long offset, string? state, Stream content, CancellationToken ct)
    {
        var temp = TempPath(key, uploadId);
        if (!File.Exists(temp)) throw new BlobNotFoundException(Provider, key);
        try
        {
            await using var file = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.Open, Access = FileAccess.Write, Options = FileOptions.Asynchronous, BufferSize = 0,
            });
            file.SetLength(offset); // what an append cut short wrote past the confirmed length
            file.Position = offset;
            try
            {
                await WriteBehind.CopyAsync(content, file, ct);
            }
            finally
            {
                // What arrived is kept, also when the client's stream failed part way: the next append resumes after it.
                file.Flush(flushToDisk: true);
            }
            return new ResumableProgress(file.Length, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException(Provider, key, $"Appending to the upload of '{key}' failed: {ex.Message}", ex);
        }
    }

    public Task<StoredBlob> CompleteResumableAsync(string key, string uploadId, long length, string? state, CancellationToken ct)
    {
        var path = PathFor(key);
        var temp = TempPath(key, uploadId);
        if (!File.Exists(temp) && File.Exists(path)) return Task.FromResult(new StoredBlob(key, new FileInfo(path).Length)); // completed before
        if (File.Exists(path)) throw new BlobAlreadyExistsException(Provider, key);
        if (!File.Exists(temp)) throw new BlobNotFoundException(Provider, key);
        try
        {
            return Task.FromResult(MoveIntoPlace(key, path, temp));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException(Provider, key, $"Completing the upload of '{key}' failed: {ex.Message}", ex);
        }
    }

    /// <summary>The temporary file of an upload, by the name it was given (never a client's).</summary>
    private string TempPath(string key, string uploadId)
    {
        if (uploadId.Length != 32 || !uploadId.All(char.IsAsciiHexDigitLower))
            throw new StorageException(Provider, key, $"'{uploadId}' is not the name of a temporary file of this storage.", permanent: true);
        return Path.Combine(_root, TempFolder, uploadId);
    }

    /// <summary>Moves a flushed temporary file to the key's path (never over an object), and flushes the folders it changed.</summary>
    private StoredBlob MoveIntoPlace(string key, string path, string temp)
    {
        var size = new FileInfo(temp).Length;
        var dir = Path.GetDirectoryName(path)!;
        var created = new List<string>();
        for (var attempt = 1; ; attempt++)
        {
            created.AddRange(MissingFolders(dir));
            Directory.CreateDirectory(dir);
            try
            {
                File.Move(temp, path, overwrite: false);
                break;
            }
            catch (IOException) when (File.Exists(path))
            {
                throw new BlobAlreadyExistsException(Provider, key);
            }
            catch (DirectoryNotFoundException) when (attempt < 3)
            {
                // A concurrent delete pruned the folder between creating it and moving into it.
            }
        }
        // The new name, and each new folder's name in its parent: until these are on disk, a power loss can undo them.
        Sync(created.Select(d => Path.GetDirectoryName(d)!).Prepend(dir).Distinct());
        return new StoredBlob(key, size);
    }

    /// <summary>The temporary files of uploads on their way or dead with their process.</summary>
    public async IAsyncEnumerable<UnfinishedUpload> ListUnfinishedUploadsAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        foreach (var file in new DirectoryInfo(Path.Combine(_root, TempFolder)).EnumerateFiles())
        {
            ct.ThrowIfCancellationRequested();
            yield return new UnfinishedUpload(null, file.Name, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero));
        }
    }

    /// <summary>Deletes the temporary file an unfinished upload left (the name it reported).</summary>
    public Task AbortUploadAsync(string key, string uploadId, CancellationToken ct)
    {
        var temp = TempPath(key, uploadId);
        try
        {
            File.Delete(temp);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException(Provider, key, $"Deleting the temporary file of '{key}' failed: {ex.Message}", ex);
        }
        return Task.CompletedTask;
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken ct)
    {
        var path = PathFor(key);
        try
        {
            Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.SequentialScan);
            return Task.FromResult(stream);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BlobNotFoundException(Provider, key);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException(Provider, key, $"Reading '{key}' failed: {ex.Message}", ex);
        }
    }

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        var path = PathFor(key);
        try
        {
            // File.Delete is already a no-op for a missing file; a missing folder must be one too.
            var dir = Path.GetDirectoryName(path)!;
            if (Directory.Exists(dir))
            {
                File.Delete(path);
                // The removal is on disk before the queue's entry goes: a power loss cannot bring the object back unlisted.
                Sync([PruneEmptyFolders(dir)]);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Denied access is not permanent: a folder's permissions can be fixed, and the deletion then goes through.
            throw new StorageException(Provider, key, $"Deleting '{key}' failed: {ex.Message}", ex);
        }
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<BlobItem> ListAsync(string prefix, string? startAfter, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        foreach (var item in Walk(_root, "", prefix, startAfter))
        {
            ct.ThrowIfCancellationRequested();
            yield return item;
        }
    }

    /// <summary>
    /// Depth-first in ordinal key order: a folder sorts as its name plus '/', which is exactly where its keys fall
    /// among its siblings'. Subtrees wholly outside the prefix or before <paramref name="startAfter"/> are skipped.
    /// </summary>
    private IEnumerable<BlobItem> Walk(string dir, string keyPrefix, string prefix, string? startAfter)
    {
        IEnumerable<FileSystemInfo> entries;
        try
        {
            entries = new DirectoryInfo(dir).EnumerateFileSystemInfos().ToList();
        }
        catch (DirectoryNotFoundException)
        {
            yield break; // pruned by a concurrent delete
        }
        foreach (var (entry, key) in entries
                     .Where(e => keyPrefix.Length > 0 || e.Name != TempFolder)
                     .Select(e => (Entry: e, Key: keyPrefix + e.Name + (e is DirectoryInfo ? "/" : "")))
                     .OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (entry is DirectoryInfo)
            {
                if (!key.StartsWith(prefix, StringComparison.Ordinal) && !prefix.StartsWith(key, StringComparison.Ordinal)) continue;
                if (startAfter is not null && string.CompareOrdinal(key, startAfter) < 0 && !startAfter.StartsWith(key, StringComparison.Ordinal)) continue;
                foreach (var item in Walk(entry.FullName, key, prefix, startAfter)) yield return item;
            }
            else if (entry is FileInfo file && key.StartsWith(prefix, StringComparison.Ordinal)
                     && (startAfter is null || string.CompareOrdinal(key, startAfter) > 0) && StorageKeys.IsValid(key))
            {
                yield return new BlobItem(key, file.Length, file.LastWriteTimeUtc);
            }
        }
    }

    public Task<bool> ExistsAsync(string key, CancellationToken ct) => Task.FromResult(File.Exists(PathFor(key)));

    public string? DirectUrl(string key) => null; // served by the service itself

    public Task<string?> PresignedUrlAsync(string key, TimeSpan lifetime, CancellationToken ct) => Task.FromResult<string?>(null);

    public async Task CheckAsync(CancellationToken ct)
    {
        var probe = $"_check/{StorageKeys.NewId()}";
        using var content = new MemoryStream("probe"u8.ToArray());
        await UploadAsync(probe, content, "text/plain", ct);
        await using (var read = await OpenReadAsync(probe, ct))
        {
            if (read.Length != 5) throw new StorageException(Provider, probe, "The probe object read back with the wrong size.");
        }
        await DeleteAsync(probe, ct);
    }

    private string PathFor(string key)
    {
        StorageKeys.EnsureValid(key);
        var path = Path.GetFullPath(Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar)));
        // Keys are validated above; this guard makes escaping the root impossible even if that rule changes.
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"'{key}' resolves outside the storage root.", nameof(key));
        return path;
    }

    /// <summary>Removes the emptied folders upwards; returns the folder whose entries changed last (to flush).</summary>
    private string PruneEmptyFolders(string dir)
    {
        while (dir.Length > _root.Length && dir.StartsWith(_root, StringComparison.Ordinal))
        {
            try
            {
                if (Directory.EnumerateFileSystemEntries(dir).Any()) return dir;
                Directory.Delete(dir);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return dir; // a concurrent upload into the same folder; the folder is still in use
            }
            dir = Path.GetDirectoryName(dir)!;
        }
        return dir;
    }

    /// <summary>The folders from <paramref name="dir"/> up that do not exist yet, deepest first.</summary>
    private List<string> MissingFolders(string dir)
    {
        var missing = new List<string>();
        for (var d = dir; d.Length > _root.Length && !Directory.Exists(d); d = Path.GetDirectoryName(d)!) missing.Add(d);
        return missing;
    }

    private void Sync(IEnumerable<string> folders)
    {
        foreach (var folder in folders)
        {
            // A folder a concurrent delete pruned meanwhile: its removal is an entry of its parent, which is flushed instead.
            var flushed = folder;
            while (!DirectorySync.Flush(flushed) && flushed.Length > _root.Length) flushed = Path.GetDirectoryName(flushed)!;
            Synced?.Invoke(flushed);
        }
    }

    /// <summary>For tests: each folder as it is flushed to disk.</summary>
    internal Action<string>? Synced { get; set; }
}
