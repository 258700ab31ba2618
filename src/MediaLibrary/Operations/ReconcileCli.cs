using System.CommandLine;
using System.Globalization;
using MediaLibrary.Cleanup;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Operations;

/// <summary><c>reconcile [--apply] [--grace 1h]</c>: dry run by default.</summary>
public static class ReconcileCli
{
    public static Command Command(VerbServices services)
    {
        var apply = new Option<bool>("--apply") { Description = "Delete the orphans (through the cleanup queue) and flag the dangling rows. Without it nothing changes." };
        var graceOption = new Option<TimeSpan?>("--grace")
        {
            Description = "Objects younger than this are never orphans: their upload may still be on its way to a commit. "
                + "90s, 30m, 1h, 2d (default: MEDIALIB_RECONCILE_GRACE_MINUTES, 60 minutes).",
            HelpName = "DURATION",
            CustomParser = argument =>
            {
                var text = argument.Tokens.Single().Value;
                if (TryParseDuration(text, out var parsed)) return parsed;
                argument.AddError($"'{text}' is not a duration such as 90s, 30m, 1h or 2d.");
                return null;
            },
        };
        var command = new Command("reconcile",
            "Compare storage with the database: list orphan objects (stored, referenced by no row, older than the grace period) and "
            + "dangling rows (rows whose object is missing). An interrupted run resumes where it stopped.") { apply, graceOption };
        command.SetAction(async (result, ct) =>
        {
            var provider = await services(ct);
            var grace = result.GetValue(graceOption)
                ?? TimeSpan.FromMinutes(provider.GetRequiredService<IOptions<ReconcileOptions>>().Value.GraceMinutes);
            return await RunAsync(provider, result.GetValue(apply), grace, result.InvocationConfiguration.Output, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(IServiceProvider services, bool apply, TimeSpan grace, TextWriter output, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<Reconciler>().RunAsync(new ReconcileRequest(apply, grace), ct);
        if (report.Resumed) await output.WriteLineAsync("Resumed an interrupted run.");
        foreach (var orphan in report.Orphans)
            await output.WriteLineAsync($"orphan\t{orphan.Key}\t{orphan.Size} bytes\t{orphan.LastModified:yyyy-MM-ddTHH:mm:ssZ}");
        foreach (var row in report.Dangling)
            await output.WriteLineAsync($"dangling\tmedia {row.MediaId}\t{row.StorageKey}");
        foreach (var (provider, upload) in report.StaleUploads)
            await output.WriteLineAsync($"unfinished\t{provider}\t{upload.Key ?? "(temporary file)"}\t{upload.UploadId}\t{upload.StartedAt:yyyy-MM-ddTHH:mm:ssZ}");
        foreach (var reason in report.UploadsNotListed)
            await output.WriteLineAsync($"unlisted\t{reason}");
        await output.WriteLineAsync(
            $"Scanned {report.ObjectsScanned} objects and {report.RowsScanned} rows (grace {grace}): " +
            $"{report.Orphans.Count} orphans {(apply ? "queued for deletion" : "would be deleted")}, " +
            $"{report.Dangling.Count} dangling rows {(apply ? "flagged" : "would be flagged")}" +
            (report.Restored > 0 ? $", {report.Restored} flagged rows found again" : "") +
            $", {report.StaleUploads.Count} unfinished uploads {(apply ? "aborted" : "would be aborted")}" +
            (apply ? "." : ". Dry run: nothing changed; run with --apply to act."));
        return ExitCodes.Ok;
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
