namespace MediaLibrary.Webhooks;

/// <summary>
/// One event to one endpoint, and how its attempts went. The cleanup queue's entry (kind <c>webhook</c>, key
/// <c>{endpoint}/{event}</c>) drives the attempts, with its backoff, lease and attempt limit; this row is what an admin
/// sees, and it stays after delivery until the retention removes it.
/// </summary>
public sealed class WebhookDelivery
{
    public long Id { get; set; }
    public long EndpointId { get; set; }
    public required string EventId { get; set; }
    public required string EventType { get; set; }
    public long? MediaId { get; set; }
    public WebhookDeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastAttemptAt { get; set; }
    public int? LastStatusCode { get; set; }

    /// <summary>The start of the receiver's last answer (at most <see cref="WebhookSender.MaxResponseChars"/> characters).</summary>
    public string? LastResponse { get; set; }

    public string? LastError { get; set; }
    public DateTime? DeliveredAt { get; set; }
}
