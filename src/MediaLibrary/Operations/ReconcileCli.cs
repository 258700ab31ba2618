using System.Globalization;
using MediaLibrary.Cleanup;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Operations;

/// <summary><c>reconcile [--apply] [--grace 1h]</c>: dry run by default.</summary>
public static class ReconcileCli
{
    private const string Usage = """
        Usage:
          reconcile [--apply] [--grace DURATION]
            Lists orphan objects (stored, referenced by no row, older than the grace period) and dangling rows
            (rows whose object is missing). Without --apply nothing changes. With --apply orphans are deleted
            through the cleanup queue and dangling rows are flagged. DURATION: 90s, 30m, 1h, 2d (default: 1h,
            or MEDIALIB_RECONCILE_GRACE_MINUTES). An interrupted run resumes where it stopped.
        """;

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var apply = false;
        var grace = TimeSpan.FromMinutes(services.GetRequiredService<IOptions<ReconcileOptions>>().Value.GraceMinutes);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--apply":
                    apply = true;
                    break;
                case "--grace" when i + 1 < args.Length && TryParseDuration(args[i + 1], out var parsed):
                    grace = parsed;
                    i++;
                    break;
                default:
                    await error.WriteLineAsync(Usage);
                    return 2;
            }
        }

        await using var scope = services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<Reconciler>().RunAsync(new ReconcileRequest(apply, grace), ct);
        if (report.Resumed) await output.WriteLineAsync("Resumed an interrupted run.");
        foreach (var orphan in report.Orphans)
            await output.WriteLineAsync($"orphan\t{orphan.Key}\t{orphan.Size} bytes\t{orphan.LastModified:yyyy-MM-ddTHH:mm:ssZ}");
        foreach (var row in report.Dangling)
            await output.WriteLineAsync($"dangling\tmedia {row.MediaId}\t{row.StorageKey}");
        await output.WriteLineAsync(
            $"Scanned {report.ObjectsScanned} objects and {report.RowsScanned} rows (grace {grace}): " +
            $"{report.Orphans.Count} orphans {(apply ? "queued for deletion" : "would be deleted")}, " +
            $"{report.Dangling.Count} dangling rows {(apply ? "flagged" : "would be flagged")}" +
            (report.Restored > 0 ? $", {report.Restored} flagged rows found again" : "") +
            (apply ? "." : ". Dry run: nothing changed; run with --apply to act."));
        return 0;
    }

    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (text.Length < 1) return false;
        var unit = char.IsDigit(text[^1]) ? 's' : text[^1];
        var number = char.IsDigit(text[^1]) ? text : text[..^1];
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0) return false;
        duration = unit switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            'd' => TimeSpan.FromDays(value),
            _ => TimeSpan.MinValue,
        };
        return duration != TimeSpan.MinValue;
    }
}
