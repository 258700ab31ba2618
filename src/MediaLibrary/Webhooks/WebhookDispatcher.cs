using System.Collections.Concurrent;
using MediaLibrary.Cleanup;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Webhooks;

/// <summary>
/// Each node's delivery loop: every MEDIALIB_WEBHOOK_POLL_MILLISECONDS it reloads the endpoints (for those saved on other
/// nodes) and hands the webhook entries of the cleanup queue that are due to one lane per endpoint. A lane sends its
/// endpoint's deliveries one at a time, claimed by the queue's lease so that of several nodes exactly one sends each;
/// lanes run side by side (at most <see cref="MaxLanes"/>), so an endpoint that hangs holds up only itself. The storage
/// deletions keep their own worker and never wait behind a receiver.
/// </summary>
public sealed partial class WebhookDispatcher(
    IServiceScopeFactory scopes, WebhookSubscriptions subscriptions, IOptions<WebhookOptions> options, ILogger<WebhookDispatcher> logger)
    : BackgroundService
{
    private const int BatchSize = 200;
    public const int MaxLanes = 16;

    private readonly ConcurrentDictionary<long, Task> _lanes = new();

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await subscriptions.RefreshAsync(cancellationToken); // before the first request, so none asks on its own thread
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPassFailed(ex);
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The poll's cadence is the machine's clock, not the application's TimeProvider: whether a delivery is due is
        // decided by the queue on the application's clock; a test that moves that clock by a month must not run a month of polls.
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.PollMilliseconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await subscriptions.RefreshAsync(stoppingToken);
                    await StartLanesAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogPassFailed(ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
        await Task.WhenAll(_lanes.Values); // each ends on the token; an attempt cut short is retried when its lease runs out
    }

    /// <summary>Starts a lane for each endpoint with due deliveries and none running.</summary>
    private async Task StartLanesAsync(CancellationToken ct)
    {
        List<PendingDeletion> due;
        await using (var scope = scopes.CreateAsyncScope())
            due = await scope.ServiceProvider.GetRequiredService<CleanupQueue>().DueAsync(BatchSize, WebhookSender.Kind, ct);
        foreach (var group in due.GroupBy(e => EndpointOf(e.StorageKey)))
        {
            if (_lanes.Count >= MaxLanes) break;
            if (_lanes.ContainsKey(group.Key)) continue;
            var entries = group.ToList();
            var lane = new TaskCompletionSource();
            if (!_lanes.TryAdd(group.Key, lane.Task)) continue;
            _ = Task.Run(async () =>
            {
                try
                {
                    await RunLaneAsync(entries, ct);
                }
                finally
                {
                    _lanes.TryRemove(group.Key, out _);
                    lane.SetResult();
                }
            }, CancellationToken.None);
        }
    }

    private async Task RunLaneAsync(List<PendingDeletion> entries, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var queue = scope.ServiceProvider.GetRequiredService<CleanupQueue>();
            foreach (var entry in entries)
            {
                if (ct.IsCancellationRequested) return;
                await queue.TryAttemptAsync(entry, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // stopping
        }
        catch (Exception ex)
        {
            LogPassFailed(ex);
        }
    }

    private static long EndpointOf(string key) => long.TryParse(key.AsSpan(0, Math.Max(0, key.IndexOf('/'))), out var id) ? id : 0;

    [LoggerMessage(Level = LogLevel.Error, Message = "A webhook delivery pass failed; the next poll tries again")]
    private partial void LogPassFailed(Exception exception);
}
