namespace MediaLibrary.Delivery;

/// <summary>What delivery logs, with the fields an operator filters on.</summary>
internal static partial class DeliveryLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Media {MediaId} points at {StorageKey} on {Provider}, which is missing: result=404 (a dangling row)")]
    public static partial void StoredFileMissing(ILogger logger, long mediaId, string storageKey, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Derivative {Transform} of media {MediaId} version {Version} is missing at {StorageKey} on {Provider} (ready since {CreatedAt:o}): result=rendering it again")]
    public static partial void DerivativeMissing(ILogger logger, long mediaId, int version, string transform, string storageKey, string provider, DateTime createdAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Derivative {Transform} of media {MediaId} version {Version}, rendered again at {StorageKey} on {Provider}, is missing too while the version stands: result=503")]
    public static partial void DerivativeMissingAgain(ILogger logger, long mediaId, int version, string transform, string storageKey, string provider);
}
