namespace MediaLibrary.Cleanup;

/// <summary>
/// Housekeeping a feature wants done on the cleanup worker's schedule, after the due entries (forgetting expired
/// Idempotency-Keys, say). Resolved in a fresh scope on every pass; a failure is logged and the next pass runs it again.
/// </summary>
public interface ICleanupPass
{
    Task RunAsync(CancellationToken ct);
}
