using MediaLibrary.Cleanup;
using MediaLibrary.Data;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Media;

/// <summary>The rows that reference stored objects: each media's current original and its derivatives.</summary>
public sealed class MediaStorageReferences(MediaDbContext db) : IStorageReferences
{
    public async Task<IReadOnlySet<string>> ReferencedAsync(string provider, IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        var list = keys.ToList();
        var referenced = (await db.Media.Where(m => m.StorageProvider == provider && list.Contains(m.StorageKey)).Select(m => m.StorageKey).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        referenced.UnionWith(await db.Derivatives.Where(d => d.StorageProvider == provider && list.Contains(d.StorageKey)).Select(d => d.StorageKey).ToListAsync(ct));
        return referenced;
    }

    public async Task<IReadOnlyList<StoredReference>> OwnersAfterAsync(long afterId, int count, CancellationToken ct) =>
        await db.Media.AsNoTracking().Where(m => m.Id > afterId).OrderBy(m => m.Id).Take(count)
            .Select(m => new StoredReference(m.Id, m.StorageKey, m.StorageProvider, m.MissingSince)).ToListAsync(ct);

    public Task<bool> StillReferencesAsync(long ownerId, string key, CancellationToken ct) =>
        db.Media.AnyAsync(m => m.Id == ownerId && m.StorageKey == key, ct);

    public Task SetMissingAsync(long ownerId, string key, DateTime? since, CancellationToken ct) =>
        db.Media.Where(m => m.Id == ownerId && m.StorageKey == key).ExecuteUpdateAsync(s => s.SetProperty(m => m.MissingSince, since), ct);
}
