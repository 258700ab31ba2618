using Microsoft.Extensions.Options;

namespace MediaLibrary.Cleanup;

/// <summary>Runs the reconciler with --apply semantics on a timer when MEDIALIB_RECONCILE_INTERVAL_MINUTES is set.</summary>
public sealed partial class ReconcileWorker(IServiceScopeFactory scopes, TimeProvider time, IOptions<ReconcileOptions> options, ILogger<ReconcileWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.IntervalMinutes <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.IntervalMinutes), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<Reconciler>()
                        .RunAsync(new ReconcileRequest(Apply: true, TimeSpan.FromMinutes(options.Value.GraceMinutes)), stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRunFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A periodic reconcile run failed; the next run resumes from its cursor")]
    private partial void LogRunFailed(Exception exception);
}
