namespace MediaLibrary.Delivery;

/// <summary>What delivery logs, with the fields an operator filters on.</summary>
internal static partial class DeliveryLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Media {MediaId} points at {StorageKey} on {Provider}, which is missing: result=404 (a dangling row)")]
    public static partial void StoredFileMissing(ILogger logger, long mediaId, string storageKey, string provider);
}
