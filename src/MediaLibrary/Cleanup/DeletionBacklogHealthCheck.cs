using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Cleanup;

/// <summary>Degraded while deletions pile up (older than the threshold) or any is dead: files are being left behind.</summary>
public sealed class DeletionBacklogHealthCheck(CleanupQueue cleanup, CleanupMetrics metrics, IOptions<CleanupOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
    {
        var backlog = await cleanup.GetBacklogAsync(null, 0, ct);
        metrics.Observe(backlog);
        var threshold = TimeSpan.FromMinutes(options.Value.BacklogThresholdMinutes);
        var data = new Dictionary<string, object> { ["pending"] = backlog.PendingCount, ["dead"] = backlog.DeadCount };
        if (backlog.DeadCount > 0)
            return HealthCheckResult.Degraded($"{backlog.DeadCount} storage deletion(s) gave up; see /api/admin/deletions.", data: data);
        if (backlog.OldestPendingAge > threshold)
            return HealthCheckResult.Degraded($"The oldest pending storage deletion waits for {backlog.OldestPendingAge.Value.TotalMinutes:F0} minutes.", data: data);
        return HealthCheckResult.Healthy($"{backlog.PendingCount} pending storage deletion(s).", data);
    }
}
