namespace MediaLibrary.Media;

/// <summary>
/// Told of every change the history records, in the unit of work of the change (webhooks queue their deliveries here).
/// Like <see cref="IRetirementFollowUp"/>, it only adds rows to the context, never acts itself: what it adds commits or
/// rolls back with the change. True when it added something (a bulk change then saves it in its transaction).
/// </summary>
public interface IChangeFeed
{
    bool Changed(long mediaId, string action, object? details);
}
