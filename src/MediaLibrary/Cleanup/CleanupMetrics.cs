using System.Diagnostics.Metrics;

namespace MediaLibrary.Cleanup;

/// <summary>
/// The queue's instruments (meter <c>MediaLibrary.Cleanup</c>): attempts by kind and result, and the backlog as gauges.
/// The admin endpoint's totals are read from the attempts counter itself, so there is one count, not two.
/// </summary>
public sealed class CleanupMetrics : IDisposable
{
    public const string MeterName = "MediaLibrary.Cleanup";

    private readonly Counter<long> _attempts;
    private readonly ObservableGauge<long> _backlogGauge;
    private readonly ObservableGauge<double> _ageGauge;
    private readonly MeterListener _listener = new();
    private long _attemptCount, _successCount, _failureCount;
    private (long Pending, long Dead, double? OldestSeconds) _backlog;

    public CleanupMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _attempts = meter.CreateCounter<long>("medialibrary.cleanup.attempts", "{attempt}",
            "Queued work attempted, by kind (a storage provider, http-cache) and result (ok, retry, dead, cancelled)");
        _backlogGauge = meter.CreateObservableGauge("medialibrary.cleanup.backlog", () => new[]
        {
            new Measurement<long>(_backlog.Pending, new KeyValuePair<string, object?>("status", "pending")),
            new Measurement<long>(_backlog.Dead, new KeyValuePair<string, object?>("status", "dead")),
        }, "{entry}", "Entries waiting in the queue, and entries that gave up (as of the last worker pass or health check)");
        _ageGauge = meter.CreateObservableGauge("medialibrary.cleanup.oldest_pending_age", () => _backlog.OldestSeconds ?? 0, "s",
            "Age of the oldest waiting entry (as of the last worker pass or health check)");

        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            Interlocked.Add(ref _attemptCount, value);
            foreach (var tag in tags)
            {
                if (tag.Key != "result") continue;
                if (tag.Value as string == "ok") Interlocked.Add(ref _successCount, value);
                else if (tag.Value as string is "retry" or "dead") Interlocked.Add(ref _failureCount, value);
            }
        });
        _listener.Start();
        _listener.EnableMeasurementEvents(_attempts);
    }

    public void Attempted(string kind, string result) =>
        _attempts.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("result", result));

    /// <summary>Whether a metrics exporter reads the backlog gauges; without one the worker need not count the backlog.</summary>
    public bool BacklogObserved => _backlogGauge.Enabled || _ageGauge.Enabled;

    public void Observe(DeletionBacklog backlog) => _backlog = (backlog.PendingCount, backlog.DeadCount, backlog.OldestPendingAge?.TotalSeconds);

    /// <summary>Totals since this process started, for the admin endpoint.</summary>
    public CleanupCounters Snapshot() => new(Interlocked.Read(ref _attemptCount), Interlocked.Read(ref _successCount), Interlocked.Read(ref _failureCount));

    public void Dispose() => _listener.Dispose();
}
