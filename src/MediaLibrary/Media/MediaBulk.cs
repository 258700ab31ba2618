using MediaLibrary.Data;
using MediaLibrary.Web;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Media;

/// <summary>
/// Bulk operations: one change applied to many media, each checked as its single operation checks it (found, If-Match,
/// the tag limit), with a result per media and one log line per media. Moves, tags and edits run in chunks: one
/// transaction per chunk, with the chunk's rows locked (SQLite: the one writer's turn), so each media is changed
/// wholly or not at all. Deletions go one by one through <see cref="MediaLifecycle.DeleteAsync"/>, the crash-proof path.
/// </summary>
public sealed class MediaBulk(MediaDbContext db, MediaLifecycle lifecycle, MediaTags tags, FolderTree folders, MediaHistory history, TimeProvider time,
    ILogger<MediaBulk> logger)
{
    /// <summary>How many media one request may name or select.</summary>
    public const int MaxItems = 10_000;

    private const int ChunkSize = 500;

    /// <summary>
    /// <paramref name="force"/>, <paramref name="permanent"/>: deletion only, as for one media's delete (media in use too;
    /// for good rather than to the trash, and from the trash).
    /// </summary>
    public async Task<List<BulkItemResult>> RunAsync(BulkAction action, IReadOnlyList<long> ids, MediaEdit edit,
        IReadOnlyDictionary<long, IfMatch> ifMatch, bool force, bool permanent, string user, CancellationToken ct)
    {
        var bulkId = Guid.NewGuid().ToString("n")[..12];
        var results = new List<BulkItemResult>(ids.Count);
        var name = action.ToString().ToLowerInvariant();
        if (action == BulkAction.Delete)
        {
            foreach (var id in ids) results.Add(Log(await DeleteOneAsync(id, ifMatch.GetValueOrDefault(id, IfMatch.None), force, permanent, ct)));
            return results;
        }

        var wanted = edit.Tags is { } change ? await tags.EnsureAsync(change.Add, ct) : null;
        var removed = edit.Tags is { Remove.Count: > 0 } removing ? (await tags.FindAsync(removing.Remove, ct)).Values.ToList() : [];
        var unwanted = removed.Select(t => t.Id).ToHashSet();
        // Each media's history entry names the tags added and removed.
        var tagNames = (wanted?.Values ?? Enumerable.Empty<Tag>()).Concat(removed).DistinctBy(t => t.Id).ToDictionary(t => t.Id, t => t.Name);
        foreach (var chunk in ids.Chunk(ChunkSize))
        {
            try
            {
                foreach (var result in await ChangeChunkAsync(chunk, edit, wanted, unwanted, tagNames, ifMatch, bulkId, ct)) results.Add(Log(result));
            }
            catch (RequestValidationException gone) // the target folder was deleted after the request was checked
            {
                db.ChangeTracker.Clear();
                foreach (var id in chunk) results.Add(Log(new BulkItemResult(id, StatusCodes.Status400BadRequest, "not changed: " + gone.Message)));
            }
            catch (Exception ex) when (DatabaseFault.Classify(ex) != DatabaseFaultKind.None && !ct.IsCancellationRequested)
            {
                // The chunk's transaction rolled back: none of its media changed; the next chunk tries again.
                db.ChangeTracker.Clear();
                MediaLog.BulkChunkFailed(logger, ex, name, bulkId, user, chunk.Length, chunk[0]);
                foreach (var id in chunk) results.Add(Log(new BulkItemResult(id, StatusCodes.Status503ServiceUnavailable, "not changed: the database failed; retry")));
            }
        }
        return results;

        BulkItemResult Log(BulkItemResult r)
        {
            MediaLog.BulkItem(logger, name, bulkId, user, r.Id, r.Status, r.Detail ?? "ok");
            return r;
        }
    }

    private async Task<BulkItemResult> DeleteOneAsync(long id, IfMatch ifMatch, bool force, bool permanent, CancellationToken ct)
    {
        try
        {
            return await lifecycle.DeleteAsync(id, ifMatch, force, permanent, ct) switch
            {
                DeleteOutcome.Trashed => new BulkItemResult(id, StatusCodes.Status204NoContent, "moved to the trash"),
                DeleteOutcome.Deleted => new BulkItemResult(id, StatusCodes.Status204NoContent, "deleted"),
                _ => new BulkItemResult(id, StatusCodes.Status404NotFound, "not found"),
            };
        }
        catch (ApiProblemException problem)
        {
            db.ChangeTracker.Clear();
            return new BulkItemResult(id, problem.Status, problem.Message);
        }
        catch (Exception ex) when (DatabaseFault.Classify(ex) != DatabaseFaultKind.None && !ct.IsCancellationRequested)
        {
            db.ChangeTracker.Clear();
            return new BulkItemResult(id, StatusCodes.Status503ServiceUnavailable, "not deleted: the database failed; retry");
        }
    }

    private async Task<List<BulkItemResult>> ChangeChunkAsync(long[] chunk, MediaEdit edit, Dictionary<string, Tag>? wanted, HashSet<long> unwanted,
        IReadOnlyDictionary<long, string> tagNames, IReadOnlyDictionary<long, IfMatch> ifMatch, string bulkId, CancellationToken ct)
    {
        await using var tx = await folders.BeginIntoAsync(edit.Move?.FolderId, ct);
        if (db.Database.IsNpgsql()) // in id order, as every bulk request takes them: two crossing requests cannot deadlock
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM media WHERE \"Id\" = ANY({chunk}) ORDER BY \"Id\" FOR UPDATE", ct);
        // An edit of the title or alt text changes each row's search text (computed in .NET): tracked rows, saved one by
        // one. A move or a tag change writes the same values to every row: one statement per chunk.
        var texts = edit.Title is not null || edit.AltText is not null;
        var rows = await (texts ? db.Media : db.Media.AsNoTracking()).Where(m => chunk.Contains(m.Id) && m.TrashedAt == null).ToDictionaryAsync(m => m.Id, ct);
        var links = edit.Tags is null ? null : (await db.MediaTags.Where(l => chunk.Contains(l.MediaId)).Select(l => new { l.MediaId, l.TagId }).ToListAsync(ct))
            .ToLookup(l => l.MediaId, l => l.TagId);
        var adding = edit.Tags?.Add.Select(n => wanted![TagNames.Key(n)].Id).ToHashSet() ?? [];
        var now = StoredTime.Now(time);
        var results = new List<BulkItemResult>(chunk.Length);
        var changedIds = new List<long>();
        var entries = new List<(long, string, object?)>();
        var (linking, unlinking) = (new List<(long MediaId, long TagId)>(), new List<long>());
        foreach (var id in chunk)
        {
            if (!rows.TryGetValue(id, out var media))
            {
                results.Add(new BulkItemResult(id, StatusCodes.Status404NotFound, "not found"));
                continue;
            }
            if (!ifMatch.GetValueOrDefault(id, IfMatch.None).Matches(media.ETag))
            {
                results.Add(new BulkItemResult(id, StatusCodes.Status412PreconditionFailed, $"the media has changed: its ETag is {media.ETag}", media.ETag));
                continue;
            }
            var changed = false;
            var details = new Dictionary<string, object?> { ["bulk"] = bulkId };
            if (links is not null)
            {
                var current = links[id].ToHashSet();
                var add = adding.Where(t => !current.Contains(t)).ToList();
                var drop = unwanted.Where(current.Contains).ToList();
                if (current.Count + add.Count - drop.Count > TagNames.MaxPerMedia && add.Count > 0)
                {
                    results.Add(new BulkItemResult(id, StatusCodes.Status400BadRequest, $"a media holds at most {TagNames.MaxPerMedia} tags", media.ETag));
                    continue;
                }
                linking.AddRange(add.Select(t => (id, t)));
                if (add.Count + drop.Count > 0) media.TagIds = [.. current.Concat(add).Except(drop).Order()]; // a tracked row's (a title or alt text edit)
                if (drop.Count > 0) unlinking.Add(id);
                changed = add.Count + drop.Count > 0;
                if (add.Count > 0) details["tags_added"] = add.Select(t => tagNames.GetValueOrDefault(t)).ToList();
                if (drop.Count > 0) details["tags_removed"] = drop.Select(t => tagNames.GetValueOrDefault(t)).ToList();
            }
            if (edit.Move is { } move && media.FolderId != move.FolderId)
                (details["folder_id"], changed) = (new { before = media.FolderId, after = move.FolderId }, true);
            if (edit.Title is { } title && media.Title != title.Trim())
                (details["title"], media.Title, changed) = (new { before = media.Title, after = title.Trim() }, title.Trim(), true);
            if (edit.AltText is { } alt && media.AltText != alt.Trim())
                (details["alt_text"], media.AltText, changed) = (new { before = media.AltText, after = alt.Trim() }, alt.Trim(), true);
            if (changed)
            {
                entries.Add((id, "edited", details));
                media.UpdatedAt = now;
                media.Revision++;
                changedIds.Add(id);
            }
            results.Add(new BulkItemResult(id, StatusCodes.Status200OK, changed ? null : "unchanged: already so", media.ETag));
        }
        await db.SaveChangesAsync(ct); // the tracked edits
        // The tag links in a statement or two, untracked: one insert per link took a third of a bulk tagging's time.
        if (unlinking.Count > 0) await db.MediaTags.Where(l => unlinking.Contains(l.MediaId) && unwanted.Contains(l.TagId)).ExecuteDeleteAsync(ct);
        await BulkInsert.ExecuteAsync(db, "media_tags", [("MediaId", linking.Select(l => l.MediaId).ToArray()), ("TagId", linking.Select(l => l.TagId).ToArray())], ct);
        await history.RecordManyAsync(entries, ct);
        if (!texts && changedIds.Count > 0)
        {
            // Under the rows' locks taken above: each revision is the one read, so + 1 is the ETag reported.
            var moveTo = edit.Move;
            if (edit.Tags is not null && db.Database.IsNpgsql())
                // PostgreSQL's copy of the tag ids, from the links just written, in the same statement (EF does not
                // translate an array of a subquery): one new version of each row, as for a move.
                await db.Database.ExecuteSqlAsync($"""
                    UPDATE media SET "Revision" = "Revision" + 1, "UpdatedAt" = {now},
                        "FolderId" = CASE WHEN {moveTo != null} THEN {moveTo?.FolderId} ELSE "FolderId" END,
                        "TagIds" = ARRAY(SELECT l."TagId" FROM media_tags AS l WHERE l."MediaId" = media."Id" ORDER BY l."TagId")
                    WHERE "Id" = ANY({changedIds.ToArray()})
                    """, ct);
            else
                await db.Media.Where(m => changedIds.Contains(m.Id)).ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.FolderId, m => moveTo == null ? m.FolderId : moveTo.FolderId)
                    .SetProperty(m => m.Revision, m => m.Revision + 1)
                    .SetProperty(m => m.UpdatedAt, now), ct);
        }
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return results;
    }
}
