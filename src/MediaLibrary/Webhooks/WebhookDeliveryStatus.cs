namespace MediaLibrary.Webhooks;

public enum WebhookDeliveryStatus
{
    Pending = 0,
    Delivered = 1,

    /// <summary>Gave up (the attempt limit, or the endpoint is disabled); an admin can redeliver it.</summary>
    Dead = 2,
}
