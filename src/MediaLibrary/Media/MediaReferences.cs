using MediaLibrary.Data;
using MediaLibrary.Web;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Media;

/// <summary>
/// Where media are used: references that websites register (one media and key at a time, or a referrer's whole set in
/// one sync), the count kept on each media row, and the check that keeps a used media from being deleted unasked.
/// Each change locks the media rows it touches (PostgreSQL: FOR UPDATE, in id order; SQLite: the one writer's turn), so
/// a deletion either sees the reference or the reference finds the media gone.
/// </summary>
public sealed class MediaReferences(MediaDbContext db, MediaHistory history, TimeProvider time, ILogger<MediaReferences> logger)
{
    public const int MaxKeyLength = 500;
    public const int MaxLabelLength = 200;
    public const int MaxUrlLength = 2000;

    /// <summary>How many media one sync may name.</summary>
    public const int MaxSyncMedia = 1000;

    /// <summary>How many references a refused deletion names (the count says how many there are).</summary>
    public const int ShownInConflict = 20;

    /// <summary>The media's references by key (in the trash too: they come back with it), or null when there is no such media.</summary>
    public async Task<List<MediaReference>?> OfAsync(long mediaId, CancellationToken ct)
    {
        if (!await db.Media.AnyAsync(m => m.Id == mediaId, ct)) return null;
        return await db.MediaReferences.AsNoTracking().Where(r => r.MediaId == mediaId).OrderBy(r => r.Key).ToListAsync(ct);
    }

    /// <summary>The ids of the media that <paramref name="key"/> uses, in id order.</summary>
    public Task<List<long>> MediaOfAsync(string key, CancellationToken ct) =>
        db.MediaReferences.Where(r => r.Key == key).OrderBy(r => r.MediaId).Select(r => r.MediaId).ToListAsync(ct);

    /// <summary>
    /// Adds the reference, or updates its label and link. Null when there is no such media (or it is in the trash: a
    /// place cannot start using what it cannot show); Created says which it was.
    /// </summary>
    public async Task<(MediaReference Reference, bool Created)?> PutAsync(long mediaId, ReferenceInput input, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if ((await LockAsync([mediaId], ct)).Live.Count == 0) return null;
        var now = StoredTime.Now(time);
        var reference = await db.MediaReferences.FirstOrDefaultAsync(r => r.MediaId == mediaId && r.Key == input.Key, ct);
        var created = reference is null;
        var changed = created || reference!.Label != input.Label || reference.Url != input.Url;
        if (reference is null)
            db.MediaReferences.Add(reference = new MediaReference { MediaId = mediaId, Key = input.Key, Label = input.Label, Url = input.Url, CreatedAt = now, UpdatedAt = now });
        else if (changed)
            (reference.Label, reference.Url, reference.UpdatedAt) = (input.Label, input.Url, now);
        if (changed) history.Record(mediaId, "referenced", new { key = input.Key, label = input.Label, url = input.Url });
        await db.SaveChangesAsync(ct);
        await RecountAsync([mediaId], ct);
        await tx.CommitAsync(ct);
        MediaLog.ReferencePut(logger, mediaId, input.Key, created ? "added" : "kept");
        return (reference, created);
    }

    /// <summary>Removes the reference. Null when there is no such media; false when it had no reference with that key.</summary>
    public async Task<bool?> RemoveAsync(long mediaId, string key, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if ((await LockAsync([mediaId], ct)).Existing.Count == 0) return null;
        if (await db.MediaReferences.Where(r => r.MediaId == mediaId && r.Key == key).ExecuteDeleteAsync(ct) == 0) return false;
        history.Record(mediaId, "unreferenced", new { key });
        await db.SaveChangesAsync(ct);
        await RecountAsync([mediaId], ct);
        await tx.CommitAsync(ct);
        MediaLog.ReferenceRemoved(logger, mediaId, key);
        return true;
    }

    /// <summary>
    /// Makes <paramref name="mediaIds"/> the whole set of media that the referrer uses: references added for the new ones,
    /// label and link brought up to date on the kept ones, removed from the rest. All or nothing: a media id that does not
    /// exist (or is in the trash) refuses the whole sync (422, naming the missing ids).
    /// </summary>
    public async Task<ReferenceSync> SyncAsync(ReferenceInput input, IReadOnlyCollection<long> mediaIds, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var before = await db.MediaReferences.Where(r => r.Key == input.Key).Select(r => r.MediaId).ToListAsync(ct);
        var wanted = mediaIds.ToHashSet();
        var locked = await LockAsync([.. wanted.Union(before)], ct);
        var missing = wanted.Where(id => !locked.Live.Contains(id)).Order().ToList();
        if (missing.Count > 0)
            throw new ApiProblemException(StatusCodes.Status422UnprocessableEntity, "Some media do not exist.",
                $"{missing.Count} of the media ids name no media in the library (the first: {missing[0]}); nothing was changed.",
                new Dictionary<string, object?> { ["missing_ids"] = missing.Take(100).ToList() });

        // What another request added meanwhile (before the locks) is read again under them.
        var existing = await db.MediaReferences.Where(r => r.Key == input.Key).ToListAsync(ct);
        var now = StoredTime.Now(time);
        var removed = existing.Where(r => !wanted.Contains(r.MediaId)).ToList();
        db.MediaReferences.RemoveRange(removed);
        var updated = 0;
        foreach (var kept in existing.Where(r => wanted.Contains(r.MediaId) && (r.Label != input.Label || r.Url != input.Url)))
        {
            (kept.Label, kept.Url, kept.UpdatedAt) = (input.Label, input.Url, now);
            updated++;
        }
        var had = existing.Select(r => r.MediaId).ToHashSet();
        var added = wanted.Where(id => !had.Contains(id)).Order().ToList();
        db.MediaReferences.AddRange(added.Select(id => new MediaReference
            { MediaId = id, Key = input.Key, Label = input.Label, Url = input.Url, CreatedAt = now, UpdatedAt = now }));
        foreach (var id in added) history.Record(id, "referenced", new { key = input.Key, label = input.Label, url = input.Url });
        foreach (var gone in removed) history.Record(gone.MediaId, "unreferenced", new { key = input.Key });
        await db.SaveChangesAsync(ct);
        await RecountAsync([.. added, .. removed.Select(r => r.MediaId)], ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        var removedIds = removed.Select(r => r.MediaId).Order().ToList();
        MediaLog.ReferencesSynced(logger, input.Key, added.Count, removedIds.Count, wanted.Count);
        return new ReferenceSync(input.Key, wanted.Order().ToList(), added, removedIds, updated);
    }

    /// <summary>
    /// Inside a deletion's transaction, after its row lock: how many places use the media. A media that is used
    /// somewhere is refused (409, with its references; logged) unless the deletion is <paramref name="force"/>d.
    /// </summary>
    public async Task<int> CheckDeletableAsync(long mediaId, bool force, CancellationToken ct)
    {
        var count = await db.MediaReferences.CountAsync(r => r.MediaId == mediaId, ct);
        if (count == 0 || force) return count;
        var shown = await db.MediaReferences.AsNoTracking().Where(r => r.MediaId == mediaId).OrderBy(r => r.Key).Take(ShownInConflict).ToListAsync(ct);
        MediaLog.DeleteRefusedInUse(logger, mediaId, count);
        throw InUse(mediaId, count, shown);
    }

    private static ApiProblemException InUse(long mediaId, int count, IReadOnlyList<MediaReference> shown) =>
        new(StatusCodes.Status409Conflict, "The media is in use.",
            $"Media {mediaId} is used in {count} place{(count == 1 ? "" : "s")} ({string.Join(", ", shown.Take(3).Select(r => r.Key))}"
            + $"{(count > 3 ? ", …" : "")}); remove the references first, or delete it with force=true.",
            new Dictionary<string, object?>
            {
                ["reference_count"] = count,
                ["references"] = shown.Select(r => new Dictionary<string, object?> { ["key"] = r.Key, ["label"] = r.Label, ["url"] = r.Url }).ToList(),
            });

    /// <summary>Locks the media rows that exist among <paramref name="ids"/>; their ids, and those of them not in the trash.</summary>
    private async Task<(HashSet<long> Existing, HashSet<long> Live)> LockAsync(IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        var sorted = ids.Distinct().Order().ToArray();
        if (sorted.Length == 0) return ([], []);
        if (db.Database.IsNpgsql())
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM media WHERE \"Id\" = ANY({sorted}) ORDER BY \"Id\" FOR UPDATE", ct);
        var rows = await db.Media.Where(m => sorted.Contains(m.Id)).Select(m => new { m.Id, Live = m.TrashedAt == null }).ToListAsync(ct);
        return (rows.Select(r => r.Id).ToHashSet(), rows.Where(r => r.Live).Select(r => r.Id).ToHashSet());
    }

    /// <summary>Sets each media's count from its references, in the same transaction.</summary>
    private async Task RecountAsync(IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        var distinct = ids.Distinct().ToArray();
        if (distinct.Length == 0) return;
        await db.Media.Where(m => distinct.Contains(m.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ReferenceCount, m => db.MediaReferences.Count(r => r.MediaId == m.Id)), ct);
    }
}
