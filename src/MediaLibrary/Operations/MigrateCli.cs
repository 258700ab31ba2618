using MediaLibrary.Media;

namespace MediaLibrary.Operations;

/// <summary><c>storage migrate --to PROVIDER [--apply]</c>: dry run by default.</summary>
public static class MigrateCli
{
    private const string Usage = """
        Usage:
          storage migrate --to local|s3|cloudinary [--apply]
            Copies every current file to that storage (which must be configured too), verifies its SHA-256,
            switches the row and deletes the old copy through the cleanup queue. Without --apply: a dry run.
            Safe to run again: files already there are skipped.
        """;

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var apply = args.Contains("--apply");
        var rest = args.Where(a => a != "--apply").ToArray();
        if (rest is not ["migrate", "--to", var target])
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }
        await using var scope = services.CreateAsyncScope();
        MigrationReport report;
        try
        {
            report = await scope.ServiceProvider.GetRequiredService<StorageMigration>().RunAsync(target, apply, ct);
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync("error: " + ex.Message);
            return 1;
        }
        foreach (var failure in report.Failures) await output.WriteLineAsync("failed\t" + failure);
        await output.WriteLineAsync(apply
            ? $"Moved {report.Moved} of {report.ToMove} files ({UploadLimits.FormatBytes(report.Bytes)}) to {target}; {report.Failures.Count} failed."
            : $"Dry run: {report.ToMove} files ({UploadLimits.FormatBytes(report.Bytes)}) would move to {target}. Run with --apply to move them.");
        return report.Failures.Count == 0 ? 0 : 1;
    }
}
