using System.Diagnostics.Metrics;

namespace MediaLibrary.Cleanup;

/// <summary>Storage deletion counters: as OpenTelemetry-style instruments and as totals for the admin endpoint.</summary>
public sealed class CleanupMetrics : IDisposable
{
    private readonly Meter _meter = new("MediaLibrary.Cleanup");
    private readonly Counter<long> _attempts;
    private readonly Counter<long> _successes;
    private readonly Counter<long> _failures;
    private long _attemptCount, _successCount, _failureCount;

    public CleanupMetrics()
    {
        _attempts = _meter.CreateCounter<long>("medialibrary.cleanup.attempts", description: "Storage deletions attempted");
        _successes = _meter.CreateCounter<long>("medialibrary.cleanup.successes", description: "Storage deletions confirmed");
        _failures = _meter.CreateCounter<long>("medialibrary.cleanup.failures", description: "Storage deletions that failed");
    }

    public void Attempted(string provider) { Interlocked.Increment(ref _attemptCount); _attempts.Add(1, new KeyValuePair<string, object?>("provider", provider)); }
    public void Succeeded(string provider) { Interlocked.Increment(ref _successCount); _successes.Add(1, new KeyValuePair<string, object?>("provider", provider)); }
    public void Failed(string provider) { Interlocked.Increment(ref _failureCount); _failures.Add(1, new KeyValuePair<string, object?>("provider", provider)); }

    public CleanupCounters Snapshot() => new(Interlocked.Read(ref _attemptCount), Interlocked.Read(ref _successCount), Interlocked.Read(ref _failureCount));

    public void Dispose() => _meter.Dispose();
}
