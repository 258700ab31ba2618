using System.Collections.Concurrent;

namespace MediaLibrary.Hosting;

/// <summary>
/// Writes that /health makes to see that the database and the storage take them, at most every
/// <see cref="AfterSuccess"/> per probe on each node (every <see cref="AfterFailure"/> while one fails, so that a fix
/// shows soon): a monitor polling /health every second costs one small write now and then.
/// </summary>
public sealed class WriteProbes(TimeProvider time)
{
    public static readonly TimeSpan AfterSuccess = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan AfterFailure = TimeSpan.FromSeconds(3);

    private readonly ConcurrentDictionary<string, (DateTimeOffset At, Exception? Error)> _last = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new();

    /// <summary>The probe's last outcome while it is fresh, else a new run of it: null for success, else its error.</summary>
    public async Task<Exception?> RunAsync(string name, Func<CancellationToken, Task> probe, CancellationToken ct)
    {
        if (Fresh(name) is { } known) return known.Error;
        var gate = _gates.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            if (Fresh(name) is { } meanwhile) return meanwhile.Error; // another request ran it while this one waited
            Exception? error = null;
            try
            {
                await probe(ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                error = ex;
            }
            _last[name] = (time.GetUtcNow(), error);
            return error;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// A failure seen by a request (the database refused a write): /health reports it at once, and probes again after
    /// <see cref="AfterFailure"/> to see whether it has passed.
    /// </summary>
    public void Report(string name, Exception error) => _last[name] = (time.GetUtcNow(), error);

    private (DateTimeOffset At, Exception? Error)? Fresh(string name) =>
        _last.TryGetValue(name, out var last) && time.GetUtcNow() - last.At < (last.Error is null ? AfterSuccess : AfterFailure) ? last : null;
}
