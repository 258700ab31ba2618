using System.Net.Http.Headers;
using System.Text;
using MediaLibrary.Cleanup;
using MediaLibrary.Data;
using MediaLibrary.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StandardWebhooks;

namespace MediaLibrary.Webhooks;

/// <summary>
/// Carries out the cleanup queue's <c>webhook</c> entries: one signed POST of an event to an endpoint. A 2xx answer
/// delivers it; anything else, a time-out or a refused address throws, and the queue retries with backoff and jitter up
/// to MEDIALIB_CLEANUP_MAX_ATTEMPTS. The attempt's outcome (status, answer, error) is written in the queue's transaction
/// that records the entry's own. The queue hands an endpoint a media's deliveries in order (<see cref="CleanupQueue.DueAsync"/>).
/// </summary>
public sealed partial class WebhookSender(
    MediaDbContext db, IHttpClientFactory clients, WebhookSecrets secrets, IOptions<CleanupOptions> cleanup, TimeProvider time,
    ILogger<WebhookSender> logger) : ICleanupHandler
{
    public const string Kind = "webhook";
    public const string HttpClientName = "webhooks";
    public const int MaxResponseChars = 1000;

    string ICleanupHandler.Kind => Kind;
    string ICleanupHandler.Work => "Delivering";
    public bool HasOwnWorker => true;

    /// <summary>What each attempt learned, by queue entry, until <see cref="RecordOutcomeAsync"/> writes it (one lane's scope).</summary>
    private readonly Dictionary<long, Outcome> _outcomes = [];

    private sealed record Outcome(long DeliveryId, int Attempt, int? Status, string? Body, string? Error, WebhookDeliveryStatus State);

    public static string KeyOf(long endpointId, string eventId) => $"{endpointId}/{eventId}";

    public async Task ExecuteAsync(PendingDeletion entry, CancellationToken ct)
    {
        _outcomes.Remove(entry.Id);
        var slash = entry.StorageKey.IndexOf('/');
        if (slash < 1 || !long.TryParse(entry.StorageKey.AsSpan(0, slash), out var endpointId))
            throw new StorageException(Kind, entry.StorageKey, "Not a webhook delivery's key.", permanent: true);
        var eventId = entry.StorageKey[(slash + 1)..];
        var delivery = await db.WebhookDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.EndpointId == endpointId && d.EventId == eventId, ct);
        if (delivery is null || delivery.Status == WebhookDeliveryStatus.Delivered)
        {
            LogNothingToSend(eventId, endpointId, entry.MediaId);
            return; // the endpoint was deleted (its deliveries with it), or a duplicate entry of a delivered one
        }
        var attempt = entry.Attempts + 1;
        var endpoint = await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == endpointId, ct);
        if (endpoint is null)
        {
            // Deleted while the change that queued this was committing: nobody to send to.
            await db.WebhookDeliveries.Where(d => d.Id == delivery.Id).ExecuteDeleteAsync(CancellationToken.None);
            LogNothingToSend(eventId, endpointId, entry.MediaId);
            return;
        }
        if (!endpoint.Active)
        {
            Record(entry.Id, delivery.Id, attempt, null, null, "The endpoint is disabled.", dead: true);
            throw new StorageException(Kind, entry.StorageKey, $"Endpoint {endpointId} is disabled; redeliver once it is active again.", permanent: true);
        }

        var payload = await PayloadAsync(eventId, entry.StorageKey, ct);
        var client = clients.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new StringContent(payload, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var timestamp = time.GetUtcNow();
        request.Headers.Add("webhook-id", eventId);
        request.Headers.Add("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        // After a rotation the previous secret signs too, for a while: a receiver that has either secret accepts it.
        var signature = new StandardWebhook(secrets.Unprotect(endpoint.ProtectedSecret)).Sign(eventId, timestamp, payload);
        if (endpoint.PreviousProtectedSecret is { } previous && endpoint.PreviousSecretUntil > timestamp.UtcDateTime)
            signature += " " + new StandardWebhook(secrets.Unprotect(previous)).Sign(eventId, timestamp, payload);
        request.Headers.Add("webhook-signature", signature);
        var host = new Uri(endpoint.Url).Host; // the log names the host only: a URL's path or query may carry a token
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var last = attempt >= cleanup.Value.MaxAttempts;
        int status;
        string body;
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            status = (int)response.StatusCode;
            body = await ReadStartAsync(response, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            var why = Describe(ex, client.Timeout);
            LogAttempt(eventId, delivery.EventType, delivery.MediaId, endpointId, host, attempt, 0, "failed: " + why, Elapsed(started));
            Record(entry.Id, delivery.Id, attempt, null, null, why, dead: last);
            throw new WebhookDeliveryException($"POST to endpoint {endpointId} ({host}) failed: {why}", ex);
        }
        var ok = status is >= 200 and < 300;
        LogAttempt(eventId, delivery.EventType, delivery.MediaId, endpointId, host, attempt, status, ok ? "delivered" : last ? "dead" : "retry", Elapsed(started));
        if (ok)
        {
            Record(entry.Id, delivery.Id, attempt, status, body, null, dead: false, delivered: true);
            return;
        }
        Record(entry.Id, delivery.Id, attempt, status, body, $"The endpoint answered {status}.", dead: last);
        throw new WebhookDeliveryException($"Endpoint {endpointId} ({host}) answered {status}.");
    }

    /// <summary>The event's body, written with it in the change's transaction (<see cref="WebhookFeed"/>).</summary>
    private async Task<string> PayloadAsync(string eventId, string key, CancellationToken ct) =>
        await db.WebhookEvents.Where(e => e.Id == eventId).Select(e => e.Payload).SingleAsync(ct)
        ?? throw new StorageException(Kind, key, $"Event {eventId} was saved without its body; it cannot be sent.", permanent: true);

    private static async Task<string> ReadStartAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var buffer = new char[MaxResponseChars];
        var read = await reader.ReadBlockAsync(buffer.AsMemory(), ct);
        return new string(buffer, 0, read);
    }

    private void Record(long entryId, long deliveryId, int attempt, int? status, string? body, string? error, bool dead, bool delivered = false) =>
        _outcomes[entryId] = new(deliveryId, attempt, status, body, error,
            delivered ? WebhookDeliveryStatus.Delivered : dead ? WebhookDeliveryStatus.Dead : WebhookDeliveryStatus.Pending);

    public async Task RecordOutcomeAsync(PendingDeletion entry)
    {
        if (!_outcomes.Remove(entry.Id, out var o)) return; // nothing was sent
        var now = time.GetUtcNow().UtcDateTime;
        await db.WebhookDeliveries.Where(d => d.Id == o.DeliveryId).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Attempts, o.Attempt)
            .SetProperty(d => d.LastAttemptAt, now)
            .SetProperty(d => d.LastStatusCode, o.Status)
            .SetProperty(d => d.LastResponse, o.Body)
            .SetProperty(d => d.LastError, o.Error)
            .SetProperty(d => d.Status, o.State)
            .SetProperty(d => d.DeliveredAt, o.State == WebhookDeliveryStatus.Delivered ? now : (DateTime?)null), CancellationToken.None);
    }

    private static string Describe(Exception ex, TimeSpan timeout) => ex switch
    {
        TaskCanceledException => $"no answer within {timeout.TotalSeconds:0} s",
        HttpRequestException { InnerException: WebhookTargetRefusedException refused } => "refused: " + refused.Message,
        HttpRequestException http => http.InnerException is { } inner ? $"{http.Message} ({inner.Message})" : http.Message,
        _ => ex.Message,
    };

    private static long Elapsed(long started) => (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {EventId} ({EventType}, media {MediaId}) to endpoint {EndpointId} at {Host}, attempt {Attempt}: status {StatusCode}, result={Result} in {ElapsedMs} ms")]
    private partial void LogAttempt(string eventId, string eventType, long? mediaId, long endpointId, string host, int attempt, int statusCode, string result, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {EventId} (media {MediaId}) to endpoint {EndpointId}: nothing to send (the endpoint is gone or it was delivered)")]
    private partial void LogNothingToSend(string eventId, long endpointId, long? mediaId);
}
