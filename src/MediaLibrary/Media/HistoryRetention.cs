using MediaLibrary.Cleanup;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Media;

/// <summary>Forgets history entries older than MEDIALIB_HISTORY_DAYS, on every cleanup pass, 1,000 at a time.</summary>
public sealed class HistoryRetention(MediaHistory history, IOptions<MediaOptions> options, TimeProvider time) : ICleanupPass
{
    private const int Batch = 1000;

    public async Task RunAsync(CancellationToken ct)
    {
        var cutoff = StoredTime.Now(time).AddDays(-options.Value.HistoryDays);
        for (var round = 0; round < 20 && await history.ForgetBeforeAsync(cutoff, Batch, ct) == Batch; round++) { }
    }
}
