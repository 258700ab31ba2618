namespace MediaLibrary.Webhooks;

/// <summary>The target resolved only to addresses a webhook may not reach.</summary>
public sealed class WebhookTargetRefusedException(string message) : Exception(message);
