using MediaLibrary.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MediaLibrary.Hosting;

/// <summary>Healthy only while the database answers a real query.</summary>
internal sealed class DatabaseHealthCheck(MediaDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
    {
        try
        {
            await db.Media.AnyAsync(ct); // reads the media table (schema in place), one row at most
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", ex);
        }
    }
}
