using MediaLibrary.Cleanup;

namespace MediaLibrary.Media;

/// <summary>
/// Purges the media whose time in the trash is up (MEDIALIB_TRASH_DAYS after their deletion, or now when the trash was
/// emptied), on every cleanup pass: in batches, each media in its own short transaction, so uploads and edits keep
/// their turns. A pass stops after a while; the next one goes on where it stopped.
/// </summary>
public sealed class TrashPurge(MediaTrash trash, TimeProvider time) : ICleanupPass
{
    private const int BatchSize = 100;
    private static readonly TimeSpan PassBudget = TimeSpan.FromSeconds(20);

    public async Task RunAsync(CancellationToken ct)
    {
        var started = time.GetTimestamp();
        while (!ct.IsCancellationRequested && time.GetElapsedTime(started) < PassBudget)
        {
            var (read, purged) = await trash.PurgeDueAsync(BatchSize, ct);
            if (read < BatchSize || purged == 0) return;
        }
    }
}
