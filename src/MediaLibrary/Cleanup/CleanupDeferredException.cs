namespace MediaLibrary.Cleanup;

/// <summary>
/// Thrown by a handler whose entry must wait for another (a webhook delivery behind an earlier one for the same media):
/// the entry is put back for <see cref="Until"/> without counting an attempt, so waiting never makes it dead.
/// </summary>
public sealed class CleanupDeferredException(DateTime until, string reason) : Exception(reason)
{
    public DateTime Until { get; } = until;
}
