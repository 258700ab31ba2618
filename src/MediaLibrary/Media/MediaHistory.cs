using System.Text.Json;
using MediaLibrary.Data;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Media;

/// <summary>
/// The history of every change: <see cref="Record"/> adds an entry to the unit of work of the change, so it commits
/// (or not) with it; reads page newest first by (At, Id), one range of an index for a media, an actor, an action or a
/// time range.
/// </summary>
public sealed class MediaHistory(MediaDbContext db, ChangeActor actor, TimeProvider time, IEnumerable<IChangeFeed> feeds)
{
    public const int MaxDetailsLength = 8000;

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Adds the entry to the context; the caller's save, in the change's transaction, writes it.</summary>
    public void Record(long mediaId, string action, object? details = null)
    {
        db.History.Add(new HistoryEntry
        {
            MediaId = mediaId, Action = action, Actor = actor.Name, ActorId = actor.UserId, At = StoredTime.Now(time),
            RequestId = actor.RequestId, ClientAddress = actor.ClientAddress, Details = Text(details),
        });
        foreach (var feed in feeds) feed.Changed(mediaId, action, details);
    }

    /// <summary>
    /// Writes many entries now, in the caller's open transaction, without tracking them (<see cref="BulkInsert"/>): a
    /// bulk change of 10,000 media spent more on tracking 10,000 entries than on its own update.
    /// </summary>
    public async Task RecordManyAsync(IReadOnlyList<(long MediaId, string Action, object? Details)> entries, CancellationToken ct)
    {
        var n = entries.Count;
        await BulkInsert.ExecuteAsync(db, "media_history",
        [
            ("MediaId", entries.Select(e => e.MediaId).ToArray()), ("Action", entries.Select(e => e.Action).ToArray()),
            ("Actor", Enumerable.Repeat(actor.Name, n).ToArray()), ("ActorId", Enumerable.Repeat(actor.UserId, n).ToArray()),
            ("At", Enumerable.Repeat(StoredTime.Now(time), n).ToArray()), ("RequestId", Enumerable.Repeat(actor.RequestId, n).ToArray()),
            ("ClientAddress", Enumerable.Repeat(actor.ClientAddress, n).ToArray()), ("Details", entries.Select(e => Text(e.Details)).ToArray()),
        ], ct);
        var added = false;
        foreach (var feed in feeds)
            foreach (var (mediaId, action, details) in entries)
                added |= feed.Changed(mediaId, action, details);
        if (added) await db.SaveChangesAsync(ct);
    }

    private static string? Text(object? details)
    {
        var text = details is null ? null : JsonSerializer.Serialize(details, Json);
        return text is { Length: > MaxDetailsLength } ? JsonSerializer.Serialize(new { truncated = true }, Json) : text;
    }

    /// <summary>A page of entries, newest first, after <paramref name="after"/> (the last entry of the page before).</summary>
    public async Task<(List<HistoryEntry> Items, TimeCursor? Next)> ListAsync(HistoryFilter filter, TimeCursor? after, int pageSize, CancellationToken ct)
    {
        var q = db.History.AsNoTracking();
        if (filter.MediaId is { } mediaId) q = q.Where(h => h.MediaId == mediaId);
        if (filter.Actor is { } name) q = q.Where(h => h.Actor == name);
        if (filter.Action is { } action) q = q.Where(h => h.Action == action);
        if (filter.Since is { } since) q = q.Where(h => h.At >= since);
        if (filter.Until is { } until) q = q.Where(h => h.At < until);
        if (after is { } c) q = q.Where(h => h.At <= c.At && (h.At < c.At || h.Id < c.Id));
        var items = await q.OrderByDescending(h => h.At).ThenByDescending(h => h.Id).Take(pageSize + 1).ToListAsync(ct);
        var more = items.Count > pageSize;
        if (more) items.RemoveAt(pageSize);
        return (items, more ? new TimeCursor(items[^1].At, items[^1].Id) : null);
    }

    /// <summary>Forgets entries older than <paramref name="cutoff"/>, a batch at a time; how many went.</summary>
    public async Task<int> ForgetBeforeAsync(DateTime cutoff, int batch, CancellationToken ct)
    {
        var ids = db.History.Where(h => h.At < cutoff).OrderBy(h => h.At).Select(h => h.Id).Take(batch);
        return await db.History.Where(h => ids.Contains(h.Id)).ExecuteDeleteAsync(ct);
    }
}
