using System.Text.Json;
using MediaLibrary.Cleanup;
using MediaLibrary.Data;
using MediaLibrary.Delivery;
using MediaLibrary.Media;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Webhooks;

/// <summary>
/// Turns the changes of a unit of work into webhook events: for each change that an active endpoint takes, an event row,
/// a delivery row per endpoint and a cleanup-queue entry per delivery, all added to the context of the change so they
/// commit with it (or not at all). Also a retirement follow-up, to name the URLs a replace, a trash or a delete retired.
/// </summary>
public sealed class WebhookFeed(
    MediaDbContext db, WebhookSubscriptions subscriptions, CleanupQueue queue, ChangeActor actor, MediaUrls urls,
    IHttpContextAccessor http, TimeProvider time) : IChangeFeed, IFolderFeed, IRetirementFollowUp
    // The body of each event is made just before the change saves (see SnapshotAsync), from the media as the change left it.
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly Dictionary<long, List<WebhookEvent>> _events = [];
    private readonly Dictionary<long, List<object>> _retired = [];
    private readonly List<WebhookEvent> _unsaved = [];

    public bool Changed(long mediaId, string action, object? details)
    {
        if (WebhookEventTypes.Of(action) is not { } type) return false;
        var endpoints = subscriptions.For(type);
        if (endpoints.Count == 0) return false;
        var now = time.GetUtcNow().UtcDateTime;
        var evt = new WebhookEvent
        {
            Id = WebhookEvent.NewId(), Type = type, MediaId = mediaId, Action = action,
            Change = details is null ? null : JsonSerializer.Serialize(details, Json),
            Actor = actor.Name, RequestId = actor.RequestId, CreatedAt = now,
        };
        if (_retired.TryGetValue(mediaId, out var retired)) evt.Retired = JsonSerializer.Serialize(retired, Json);
        Add(db, queue, evt, endpoints);
        (_events.TryGetValue(mediaId, out var list) ? list : _events[mediaId] = []).Add(evt);
        _unsaved.Add(evt);
        if (_unsaved.Count == 1) db.BeforeNextSave(SnapshotAsync);
        return true;
    }

    /// <summary>A change to the folder tree: its event is whole at once (the folder is in hand), so its body is written now.</summary>
    public bool FolderChanged(Folder folder, string action, object? details)
    {
        var type = WebhookEventTypes.OfFolder(action);
        var endpoints = subscriptions.For(type);
        if (endpoints.Count == 0) return false;
        var now = time.GetUtcNow().UtcDateTime;
        var evt = new WebhookEvent
        {
            Id = WebhookEvent.NewId(), Type = type, Action = action, Change = details is null ? null : JsonSerializer.Serialize(details, Json),
            Actor = actor.Name, RequestId = actor.RequestId, CreatedAt = now,
        };
        evt.Payload = WebhookPayload.SerializeFolder(evt, folder);
        Add(db, queue, evt, endpoints);
        return true;
    }

    /// <summary>
    /// Adds the event to the context with a delivery to each endpoint and the delivery's queue entry, due at once and held
    /// by no one: the dispatcher's next poll sends it, on whichever node polls first. The caller's save commits them.
    /// </summary>
    public static List<WebhookDelivery> Add(MediaDbContext db, CleanupQueue queue, WebhookEvent evt, IEnumerable<long> endpoints)
    {
        db.WebhookEvents.Add(evt);
        var deliveries = new List<WebhookDelivery>();
        foreach (var endpoint in endpoints)
        {
            var delivery = new WebhookDelivery { EndpointId = endpoint, EventId = evt.Id, EventType = evt.Type, MediaId = evt.MediaId, CreatedAt = evt.CreatedAt };
            db.WebhookDeliveries.Add(delivery);
            deliveries.Add(delivery);
            queue.Enqueue(evt.MediaId, WebhookSender.KeyOf(endpoint, evt.Id), WebhookSender.Kind, evt.Type).LeaseUntil = null;
        }
        return deliveries;
    }

    public IReadOnlyList<PendingDeletion> Enqueue(RetiredVersion version, string reason)
    {
        if (!version.UrlRetired) return [];
        var (original, prefix) = urls.VersionUrls(http.HttpContext?.Request, version.MediaId, version.Version, version.FileName);
        var retired = _retired.TryGetValue(version.MediaId, out var list) ? list : _retired[version.MediaId] = [];
        retired.Add(new { version = version.Version, url = original, prefix });
        // The change's event may be written before its retirement is known: it learns of it here, before the save.
        foreach (var evt in _events.GetValueOrDefault(version.MediaId) ?? [])
            evt.Retired = JsonSerializer.Serialize(retired, Json);
        return [];
    }

    /// <summary>
    /// Writes the body of each event this unit of work added: the media as the change leaves it (its tags too, with the
    /// links added or removed in this unit), or null when the change deleted it. Runs inside the change's transaction,
    /// just before it saves, so the body tells what the change did, however soon a later change follows.
    /// </summary>
    private async Task SnapshotAsync(CancellationToken ct)
    {
        var events = _unsaved.Where(e => db.Entry(e).State == EntityState.Added).ToList();
        _unsaved.Clear();
        if (events.Count == 0) return;
        var ids = events.Select(e => e.MediaId!.Value).ToHashSet();
        var media = new Dictionary<long, MediaItem?>();
        foreach (var entry in db.ChangeTracker.Entries<MediaItem>().Where(e => ids.Contains(e.Entity.Id)))
            media[entry.Entity.Id] = entry.State == EntityState.Deleted ? null : entry.Entity;
        var missing = ids.Where(id => !media.ContainsKey(id)).ToList();
        if (missing.Count > 0)
            foreach (var row in await db.Media.AsNoTracking().Where(m => missing.Contains(m.Id)).ToListAsync(ct))
                media[row.Id] = row;

        var live = media.Where(m => m.Value is not null).Select(m => m.Key).ToList();
        var links = (await db.MediaTags.AsNoTracking().Where(l => live.Contains(l.MediaId)).Select(l => new { l.MediaId, l.TagId }).ToListAsync(ct))
            .Select(l => (l.MediaId, l.TagId)).ToHashSet();
        foreach (var entry in db.ChangeTracker.Entries<MediaTag>())
        {
            var link = (entry.Entity.MediaId != 0 ? entry.Entity.MediaId : entry.Entity.Media?.Id ?? 0, entry.Entity.TagId);
            if (entry.State == EntityState.Added) links.Add(link);
            else if (entry.State == EntityState.Deleted) links.Remove(link);
        }
        var tagIds = links.Select(l => l.TagId).ToHashSet();
        var tagRows = tagIds.Count == 0 ? [] : await db.Tags.AsNoTracking().Where(t => tagIds.Contains(t.Id)).ToListAsync(ct);
        var tagById = tagRows.ToDictionary(t => t.Id);
        var tagsOf = links.Where(l => tagById.ContainsKey(l.TagId)).ToLookup(l => l.MediaId, l => tagById[l.TagId]);

        var request = http.HttpContext?.Request;
        foreach (var evt in events)
        {
            var snapshot = media.GetValueOrDefault(evt.MediaId!.Value) is { } item ? urls.Response(request, item, MediaTags.Ordered(tagsOf[item.Id])) : null;
            evt.Payload = WebhookPayload.Serialize(evt, snapshot);
        }
    }
}
