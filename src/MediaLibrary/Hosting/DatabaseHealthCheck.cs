using MediaLibrary.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Hosting;

/// <summary>
/// Healthy while the database answers a real query and takes a write (probed now and then, see
/// <see cref="WriteProbes"/>); Unhealthy with the reason when either fails; Degraded while SQLite's disk is nearly full.
/// </summary>
internal sealed class DatabaseHealthCheck(MediaDbContext db, DatabaseSettings settings, WriteProbes probes, IOptions<HealthOptions> health, TimeProvider time)
    : IHealthCheck
{
    public const string Probe = "database";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
    {
        try
        {
            await db.Media.AnyAsync(ct); // reads the media table (schema in place), one row at most
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", ex);
        }

        if (await probes.RunAsync(Probe, WriteAsync, ct) is { } failed)
        {
            var why = DatabaseFault.Classify(failed) == DatabaseFaultKind.DiskFull ? "its disk is full" : failed.GetBaseException().Message;
            return HealthCheckResult.Unhealthy($"The database answers reads but cannot write: {why}.", failed);
        }

        if (settings.Provider == DatabaseProvider.Sqlite
            && Path.GetDirectoryName(Path.GetFullPath(new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource)) is { } folder
            && DiskSpace.FreeBytes(folder) is var free && health.Value.IsLow(free))
            return HealthCheckResult.Degraded($"The database's disk is nearly full: {DiskSpace.Describe(free!.Value)} free in {folder}.");
        return HealthCheckResult.Healthy();
    }

    /// <summary>One row per machine, its time updated: a real write through the same path as every change.</summary>
    private async Task WriteAsync(CancellationToken ct)
    {
        var node = Environment.MachineName;
        var now = time.GetUtcNow().UtcDateTime;
        if (await db.NodeProbes.Where(p => p.Node == node).ExecuteUpdateAsync(s => s.SetProperty(p => p.CheckedAt, now), ct) > 0) return;
        db.NodeProbes.Add(new NodeProbe { Node = node, CheckedAt = now });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (DatabaseFault.Classify(ex) == DatabaseFaultKind.None)
        {
            db.ChangeTracker.Clear(); // another node on this machine wrote the row first: that was a write too
        }
    }
}
