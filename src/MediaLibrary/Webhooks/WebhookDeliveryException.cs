namespace MediaLibrary.Webhooks;

/// <summary>An attempt failed (an answer other than 2xx, no answer, a refused address); the queue retries it.</summary>
public sealed class WebhookDeliveryException(string message, Exception? inner = null) : Exception(message, inner);
