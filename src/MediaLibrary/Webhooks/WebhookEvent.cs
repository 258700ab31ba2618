namespace MediaLibrary.Webhooks;

/// <summary>
/// One change, as the webhooks tell it: written in the transaction of the change, with one
/// <see cref="WebhookDelivery"/> per endpoint that takes its type. <see cref="Payload"/> is fixed at the first attempt
/// of any delivery (the media as it is then), so that every attempt and every endpoint get the same bytes.
/// </summary>
public sealed class WebhookEvent
{
    /// <summary>The webhook-id: msg_ and 26 random base32 characters; a receiver de-duplicates by it.</summary>
    public required string Id { get; set; }

    public required string Type { get; set; }
    public long? MediaId { get; set; }

    /// <summary>The history action it comes from, and that entry's details (JSON).</summary>
    public required string Action { get; set; }

    public string? Change { get; set; }

    /// <summary>The versions it retired (JSON: version, original URL, prefix of every URL of that version).</summary>
    public string? Retired { get; set; }

    public required string Actor { get; set; }
    public string? RequestId { get; set; }

    /// <summary>The origin the change was made through (MEDIALIB_BASE_URL or the request's), for the media's URLs.</summary>
    public string Origin { get; set; } = "";

    public string? Payload { get; set; }
    public DateTime CreatedAt { get; set; }
}
