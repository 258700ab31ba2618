using Microsoft.Extensions.Options;

namespace MediaLibrary.Cleanup;

/// <summary>Retries queued work on a timer until each entry is done or dead, then runs the features' <see cref="ICleanupPass"/>es.</summary>
public sealed partial class CleanupWorker(
    IServiceScopeFactory scopes, CleanupMetrics metrics, TimeProvider time, IOptions<CleanupOptions> options, ILogger<CleanupWorker> logger)
    : BackgroundService
{
    private const int BatchSize = 100;

    /// <summary>
    /// The first pass waits this long (at most one interval): its queries, compiled on first use, would otherwise take
    /// CPU from the start-up itself. What it finds are retries, which wait for their backoff anyway.
    /// </summary>
    private static readonly TimeSpan FirstPassDelay = TimeSpan.FromSeconds(3);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.IntervalSeconds);
        try
        {
            await Task.Delay(interval < FirstPassDelay ? interval : FirstPassDelay, time, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                int attempted;
                using var activity = CleanupQueue.Activities.StartActivity("cleanup pass");
                do
                {
                    await using var scope = scopes.CreateAsyncScope();
                    attempted = await scope.ServiceProvider.GetRequiredService<CleanupQueue>().ProcessDueAsync(BatchSize, null, stoppingToken);
                } while (attempted == BatchSize && !stoppingToken.IsCancellationRequested);

                await using (var scope = scopes.CreateAsyncScope())
                {
                    // The gauges' figures, counted only while an exporter reads them (two queries a pass).
                    if (metrics.BacklogObserved)
                        metrics.Observe(await scope.ServiceProvider.GetRequiredService<CleanupQueue>().GetBacklogAsync(null, 0, stoppingToken));
                    foreach (var pass in scope.ServiceProvider.GetServices<ICleanupPass>())
                        await pass.RunAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogPassFailed(ex);
            }
        } while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A cleanup pass failed; the next pass tries again")]
    private partial void LogPassFailed(Exception exception);
}
