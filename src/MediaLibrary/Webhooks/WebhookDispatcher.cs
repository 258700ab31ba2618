using System.Collections.Concurrent;
using MediaLibrary.Cleanup;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Webhooks;

/// <summary>
/// Each node's delivery loop: every MEDIALIB_WEBHOOK_POLL_MILLISECONDS it reloads the endpoints (for those saved on other
/// nodes) and hands the webhook entries of the cleanup queue that are due to one lane per endpoint. A lane sends its
/// endpoint's deliveries one at a time, a batch claimed at once by the queue's lease so that of several nodes exactly one
/// sends each, their outcomes recorded together (<see cref="CleanupQueue.TryAttemptAsync(IReadOnlyList{PendingDeletion}, CancellationToken)"/>);
/// lanes run side by side (at most <see cref="MaxLanes"/>), so an endpoint that hangs holds up only itself. The storage
/// deletions keep their own worker and never wait behind a receiver.
/// </summary>
public sealed partial class WebhookDispatcher(
    IServiceScopeFactory scopes, WebhookSubscriptions subscriptions, IOptions<WebhookOptions> options, ILogger<WebhookDispatcher> logger)
    : BackgroundService
{
    private const int BatchSize = 20;
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
                    StartLanes(stoppingToken);
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

    /// <summary>
    /// Starts a lane for each active endpoint that has none running, and one for the deliveries of endpoints no longer
    /// active (they end at once: dead, or dropped with their endpoint). A lane with nothing due ends at its first query.
    /// </summary>
    private void StartLanes(CancellationToken ct)
    {
        foreach (var endpoint in subscriptions.ActiveIds.Append(Inactive))
        {
            if (_lanes.Count >= MaxLanes) break;
            if (_lanes.ContainsKey(endpoint)) continue;
            var lane = new TaskCompletionSource();
            if (!_lanes.TryAdd(endpoint, lane.Task)) continue;
            _ = Task.Run(async () =>
            {
                try
                {
                    await RunLaneAsync(endpoint, ct);
                }
                finally
                {
                    _lanes.TryRemove(endpoint, out _);
                    lane.SetResult();
                }
            }, CancellationToken.None);
        }
    }

    /// <summary>The lane id of the deliveries whose endpoint is not active.</summary>
    private const long Inactive = -1;

    /// <summary>
    /// Sends the endpoint's due deliveries one at a time, oldest due first, listing again until none is due: one
    /// endpoint's backlog (or its retries) never fills another's turn.
    /// </summary>
    private async Task RunLaneAsync(long endpoint, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var queue = scope.ServiceProvider.GetRequiredService<CleanupQueue>();
            var db = scope.ServiceProvider.GetRequiredService<MediaLibrary.Data.MediaDbContext>();
            for (var round = 0; round < 100 && !ct.IsCancellationRequested; round++)
            {
                var active = subscriptions.ActiveIds;
                var due = endpoint == Inactive
                    ? (await queue.DueAsync(BatchSize, WebhookSender.Kind, null, null, ct)).Where(e => !active.Contains(EndpointOf(e.StorageKey))).ToList()
                    : await queue.DueAsync(BatchSize, WebhookSender.Kind, $"{endpoint}/", WebhookEventTypes.FolderPrefix, ct);
                if (due.Count == 0) return;
                var attempted = await queue.TryAttemptAsync(due, ct);
                db.ChangeTracker.Clear();
                if (attempted == 0) return; // all taken by another node meanwhile
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
