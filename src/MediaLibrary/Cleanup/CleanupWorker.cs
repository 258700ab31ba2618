using MediaLibrary.Media;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Cleanup;

/// <summary>Retries pending storage deletions on a timer until each is done or dead.</summary>
public sealed partial class CleanupWorker(IServiceScopeFactory scopes, TimeProvider time, IOptions<CleanupOptions> options, ILogger<CleanupWorker> logger)
    : BackgroundService
{
    private const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.IntervalSeconds), time);
        do
        {
            try
            {
                int attempted;
                do
                {
                    await using var scope = scopes.CreateAsyncScope();
                    attempted = await scope.ServiceProvider.GetRequiredService<StorageCleanup>().ProcessDueAsync(BatchSize, stoppingToken);
                } while (attempted == BatchSize && !stoppingToken.IsCancellationRequested);

                await using (var scope = scopes.CreateAsyncScope())
                    await scope.ServiceProvider.GetRequiredService<MediaService>().PurgeExpiredIdempotencyKeysAsync(stoppingToken);
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
