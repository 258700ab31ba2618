using System.CommandLine;
using MediaLibrary.Data;
using MediaLibrary.Storage;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Operations;

/// <summary><c>check</c>: one line per check (database, each configured storage); exit 1 when any fails.</summary>
public static class CheckCli
{
    public static Command Command(VerbServices services)
    {
        var command = new Command("check",
            "Check the configuration: the database answers and its schema is current; each configured storage takes a write, a read and "
            + "a delete of a probe object. One line per check; exit 1 when any fails.");
        command.SetAction(async (result, ct) => await RunAsync(await services(ct), result.InvocationConfiguration.Output, ct));
        return command;
    }

    private static async Task<int> RunAsync(IServiceProvider services, TextWriter output, CancellationToken ct)
    {
        var failed = 0;
        await using var scope = services.CreateAsyncScope();
        var settings = scope.ServiceProvider.GetRequiredService<DatabaseSettings>();
        try
        {
            var db = scope.ServiceProvider.GetRequiredService<MediaDbContext>();
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).Count();
            var media = await db.Media.CountAsync(ct);
            await output.WriteLineAsync($"ok    database  {settings.Describe()}: {media} media, {(pending == 0 ? "schema up to date" : $"{pending} migrations pending")}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            failed++;
            await output.WriteLineAsync($"FAIL  database  {settings.Describe()}: {OneLine(ex)}");
        }

        var registry = scope.ServiceProvider.GetRequiredService<StorageRegistry>();
        foreach (var store in registry.All.OrderByDescending(s => s == registry.Active))
        {
            var role = store == registry.Active ? "storage" : "storage (not active)";
            try
            {
                await store.CheckAsync(ct);
                await output.WriteLineAsync($"ok    {role}  {store.Describe()}: write, read and delete of a probe object");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed++;
                await output.WriteLineAsync($"FAIL  {role}  {store.Describe()}: {OneLine(ex)}");
            }
        }
        return failed == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static string OneLine(Exception ex) => ex.Message.ReplaceLineEndings(" ");
}
