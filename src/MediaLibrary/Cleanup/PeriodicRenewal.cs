namespace MediaLibrary.Cleanup;

/// <summary>
/// Renews something (an entry's due time, a lease) on a period while work runs, until disposed: a failed renewal is
/// handed to <c>failed</c> (to log) and the next period tries again. Disposing stops it and waits for a renewal under way.
/// </summary>
public sealed class PeriodicRenewal : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public PeriodicRenewal(Func<CancellationToken, Task> renew, TimeSpan every, TimeProvider time, Action<Exception> failed) =>
        _loop = Task.Run(() => RunAsync(renew, every, time, failed));

    private async Task RunAsync(Func<CancellationToken, Task> renew, TimeSpan every, TimeProvider time, Action<Exception> failed)
    {
        using var timer = new PeriodicTimer(every, time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    await renew(_stop.Token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    failed(ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the work ended
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
