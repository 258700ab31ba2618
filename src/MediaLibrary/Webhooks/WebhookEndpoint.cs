namespace MediaLibrary.Webhooks;

/// <summary>A registered receiver: where events go, which ones, and the secret that signs them (kept encrypted).</summary>
public sealed class WebhookEndpoint
{
    public long Id { get; set; }
    public required string Url { get; set; }
    public string Description { get; set; } = "";

    /// <summary>The event types it takes, space-separated; <c>*</c> for all.</summary>
    public required string Events { get; set; }

    /// <summary>The signing secret (whsec_…), encrypted with the data-protection key ring that every node shares.</summary>
    public required string ProtectedSecret { get; set; }

    /// <summary>
    /// The secret before the last rotation, encrypted the same way: attempts are signed with it too (a second signature
    /// in webhook-signature) until <see cref="PreviousSecretUntil"/>, so a receiver can switch secrets without a failure.
    /// </summary>
    public string? PreviousProtectedSecret { get; set; }

    public DateTime? PreviousSecretUntil { get; set; }

    public bool Active { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public required string CreatedBy { get; set; }
}
