namespace MediaLibrary.Uploads;

/// <summary>Runs a renewal on a period until disposed; a failed renewal is logged and tried again.</summary>
public sealed partial class AsyncLease : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly ILogger _logger;

    public AsyncLease(Func<Task> renew, TimeSpan every, TimeProvider time, ILogger logger)
    {
        _logger = logger;
        _loop = RunAsync(renew, every, time);
    }

    private async Task RunAsync(Func<Task> renew, TimeSpan every, TimeProvider time)
    {
        using var timer = new PeriodicTimer(every, time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    await renew();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRenewFailed(ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // disposed
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing a lease failed; the next renewal tries again")]
    private partial void LogRenewFailed(Exception exception);
}
