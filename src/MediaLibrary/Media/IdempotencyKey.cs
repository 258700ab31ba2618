namespace MediaLibrary.Media;

/// <summary>An upload's Idempotency-Key, remembered per user.</summary>
public sealed record IdempotencyKey(string UserId, string Key);
