using MediaLibrary.Cleanup;
using MediaLibrary.Data;
using MediaLibrary.Web;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Webhooks;

/// <summary>The endpoints admins register, their deliveries, and redelivery.</summary>
public sealed partial class WebhookRegistry(
    MediaDbContext db, WebhookSecrets secrets, WebhookSubscriptions subscriptions, CleanupQueue queue, TimeProvider time,
    ILogger<WebhookRegistry> logger)
{
    public const int MaxDescriptionLength = 200;
    public const int MaxEndpoints = 100;

    public Task<List<WebhookEndpoint>> ListAsync(CancellationToken ct) =>
        db.WebhookEndpoints.AsNoTracking().OrderBy(e => e.Id).ToListAsync(ct);

    public Task<WebhookEndpoint?> FindAsync(long id, CancellationToken ct) =>
        db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct);

    public Task<int> CountAsync(CancellationToken ct) => db.WebhookEndpoints.CountAsync(ct);

    /// <summary>Registers an endpoint (validated by the caller); the answer holds its secret, made here unless given.</summary>
    public async Task<(WebhookEndpoint Endpoint, string Secret)> CreateAsync(
        string url, IReadOnlyList<string> events, string? description, bool active, string? secret, string createdBy, CancellationToken ct)
    {
        secret ??= WebhookSecrets.New();
        var now = time.GetUtcNow().UtcDateTime;
        var endpoint = new WebhookEndpoint
        {
            Url = url, Events = Events(events), Description = description?.Trim() ?? "", Active = active,
            ProtectedSecret = secrets.Protect(secret), CreatedAt = now, UpdatedAt = now, CreatedBy = createdBy,
        };
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync(ct);
        await subscriptions.RefreshAsync(ct);
        LogCreated(endpoint.Id, new Uri(url).Host, endpoint.Events, createdBy);
        return (endpoint, secret);
    }

    /// <summary>Changes what is given; null when there is no such endpoint.</summary>
    public async Task<WebhookEndpoint?> UpdateAsync(long id, string? url, IReadOnlyList<string>? events, string? description, bool? active, CancellationToken ct)
    {
        var endpoint = await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == id, ct);
        if (endpoint is null) return null;
        if (url is not null) endpoint.Url = url;
        if (events is not null) endpoint.Events = Events(events);
        if (description is not null) endpoint.Description = description.Trim();
        if (active is not null) endpoint.Active = active.Value;
        endpoint.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        await subscriptions.RefreshAsync(ct);
        LogUpdated(id, new Uri(endpoint.Url).Host, endpoint.Events, endpoint.Active);
        return endpoint;
    }

    /// <summary>A new secret for the endpoint, in force from the next attempt; null when there is no such endpoint.</summary>
    /// <summary>
    /// Makes a new signing secret; the one it replaces keeps signing beside it for <paramref name="keepPrevious"/> (none
    /// when zero). Null when there is no such endpoint.
    /// </summary>
    public async Task<string?> RotateSecretAsync(long id, TimeSpan keepPrevious, CancellationToken ct)
    {
        var endpoint = await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == id, ct);
        if (endpoint is null) return null;
        var secret = WebhookSecrets.New();
        var now = time.GetUtcNow().UtcDateTime;
        var keep = keepPrevious > TimeSpan.Zero;
        endpoint.PreviousProtectedSecret = keep ? endpoint.ProtectedSecret : null;
        endpoint.PreviousSecretUntil = keep ? now + keepPrevious : null;
        (endpoint.ProtectedSecret, endpoint.UpdatedAt) = (secrets.Protect(secret), now);
        await db.SaveChangesAsync(ct);
        LogSecretRotated(id, endpoint.PreviousSecretUntil);
        return secret;
    }

    /// <summary>Removes the endpoint with its deliveries and their queue entries; false when there is none.</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var prefix = id + "/";
        await db.PendingDeletions.Where(p => p.Provider == WebhookSender.Kind && p.StorageKey.StartsWith(prefix)).ExecuteDeleteAsync(ct);
        await db.WebhookDeliveries.Where(d => d.EndpointId == id).ExecuteDeleteAsync(ct);
        var deleted = await db.WebhookEndpoints.Where(e => e.Id == id).ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
        await subscriptions.RefreshAsync(ct);
        if (deleted > 0) LogDeleted(id);
        return deleted > 0;
    }

    /// <summary>An endpoint's deliveries, newest first, before the delivery <paramref name="before"/> when given.</summary>
    public async Task<(List<WebhookDelivery> Items, long? Next)> DeliveriesAsync(
        long endpointId, WebhookDeliveryStatus? status, long? before, int limit, CancellationToken ct)
    {
        var q = db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == endpointId);
        if (status is { } s) q = q.Where(d => d.Status == s);
        if (before is { } b) q = q.Where(d => d.Id < b);
        var items = await q.OrderByDescending(d => d.Id).Take(limit + 1).ToListAsync(ct);
        var more = items.Count > limit;
        if (more) items.RemoveAt(limit);
        return (items, more ? items[^1].Id : null);
    }

    /// <summary>
    /// Sends a delivery again, whatever its state: pending with a fresh attempt count and due now. Null when the endpoint
    /// has no such delivery.
    /// </summary>
    public async Task<WebhookDelivery?> RedeliverAsync(long endpointId, long deliveryId, CancellationToken ct)
    {
        var delivery = await db.WebhookDeliveries.FirstOrDefaultAsync(d => d.Id == deliveryId && d.EndpointId == endpointId, ct);
        if (delivery is null) return null;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var key = WebhookSender.KeyOf(endpointId, delivery.EventId);
        await db.PendingDeletions.Where(p => p.Provider == WebhookSender.Kind && p.StorageKey == key).ExecuteDeleteAsync(ct);
        (delivery.Status, delivery.Attempts, delivery.LastError, delivery.DeliveredAt) = (WebhookDeliveryStatus.Pending, 0, null, null);
        queue.Enqueue(delivery.MediaId, key, WebhookSender.Kind, "redelivery").LeaseUntil = null;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        LogRedelivery(deliveryId, delivery.EventId, endpointId);
        return delivery;
    }

    /// <summary>
    /// Queues a test event to the endpoint alone, whatever types it takes, through the same queue as every delivery:
    /// signed with its secret, retried, listed. Null when there is no such endpoint; a disabled one is refused (409).
    /// </summary>
    public async Task<WebhookDelivery?> SendTestAsync(long id, string actor, string? requestId, CancellationToken ct)
    {
        var endpoint = await FindAsync(id, ct);
        if (endpoint is null) return null;
        if (!endpoint.Active)
            throw new ApiProblemException(StatusCodes.Status409Conflict, "The endpoint is disabled.",
                $"Webhook endpoint {id} is disabled: enable it to send it a test event.");
        var evt = new WebhookEvent
        {
            Id = WebhookEvent.NewId(), Type = WebhookEventTypes.Test, Action = "test", Actor = actor, RequestId = requestId,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        evt.Payload = WebhookPayload.SerializeTest(evt, id);
        var delivery = WebhookFeed.Add(db, queue, evt, [id]).Single();
        await db.SaveChangesAsync(ct);
        LogTest(evt.Id, id);
        return delivery;
    }

    private static string Events(IReadOnlyList<string> events) =>
        events.Contains(WebhookEventTypes.All) ? WebhookEventTypes.All : string.Join(' ', events.Distinct().Order(StringComparer.Ordinal));

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook endpoint {EndpointId} registered for {Host}, events {Events}, by {Actor}")]
    private partial void LogCreated(long endpointId, string host, string events, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook endpoint {EndpointId} changed: {Host}, events {Events}, active {Active}")]
    private partial void LogUpdated(long endpointId, string host, string events, bool active);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook endpoint {EndpointId}: signing secret rotated; the previous one also signs until {PreviousUntil:o} (none: not at all)")]
    private partial void LogSecretRotated(long endpointId, DateTime? previousUntil);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook endpoint {EndpointId} deleted with its deliveries")]
    private partial void LogDeleted(long endpointId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId} (event {EventId}) to endpoint {EndpointId} put back in line by an admin")]
    private partial void LogRedelivery(long deliveryId, string eventId, long endpointId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook test event {EventId} queued for endpoint {EndpointId}")]
    private partial void LogTest(string eventId, long endpointId);
}
