using System.CommandLine;
using MediaLibrary.Media;

namespace MediaLibrary.Operations;

/// <summary><c>storage migrate --to PROVIDER [--apply]</c>: dry run by default.</summary>
public static class MigrateCli
{
    public static Command Command(VerbServices services)
    {
        var to = new Option<string>("--to") { Description = "The storage to move every file to; it must be configured too.", HelpName = "local|s3|cloudinary", Required = true };
        var apply = new Option<bool>("--apply") { Description = "Move the files. Without it: a dry run that says what would move." };
        var migrate = new Command("migrate",
            "Copy every current file to another storage, verify its size and SHA-256, switch the row and delete the old copy through "
            + "the cleanup queue. URLs do not change. Safe to run again: files already there are skipped.") { to, apply };
        migrate.SetAction(async (result, ct) => await RunAsync(await services(ct), result.GetRequiredValue(to), result.GetValue(apply),
            result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, ct));
        return new Command("storage", "Work on the stored files as a whole.") { migrate };
    }

    private static async Task<int> RunAsync(IServiceProvider services, string target, bool apply, TextWriter output, TextWriter error, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        MigrationReport report;
        try
        {
            report = await scope.ServiceProvider.GetRequiredService<StorageMigration>().RunAsync(target, apply, ct);
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync("error: " + ex.Message);
            return ExitCodes.Failed;
        }
        foreach (var failure in report.Failures) await output.WriteLineAsync("failed\t" + failure);
        await output.WriteLineAsync(apply
            ? $"Moved {report.Moved} of {report.ToMove} files ({UploadLimits.FormatBytes(report.Bytes)}) to {target}; {report.Failures.Count} failed."
            : $"Dry run: {report.ToMove} files ({UploadLimits.FormatBytes(report.Bytes)}) would move to {target}. Run with --apply to move them.");
        return report.Failures.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
