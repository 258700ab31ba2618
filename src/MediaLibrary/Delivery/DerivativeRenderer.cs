using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using MediaLibrary.Cleanup;
using MediaLibrary.Imaging;
using MediaLibrary.Media;
using MediaLibrary.Storage;

namespace MediaLibrary.Delivery;

/// <summary>
/// Gets a derivative, rendering it once: concurrent requests on this node share one render, other nodes wait for the
/// claim in the database. The render runs on its own clock (a requester that gives up does not cancel it for the others).
/// </summary>
public sealed partial class DerivativeRenderer(
    IServiceScopeFactory scopes, ImageProcessor processor, StorageRegistry storage, IMeterFactory meters, ILogger<DerivativeRenderer> logger)
{
    /// <summary>A span per render (decode, resize, encode) and per stored derivative.</summary>
    public static readonly ActivitySource Activities = new("MediaLibrary.Delivery");

    private readonly Histogram<double> _renderDuration = meters.Create("MediaLibrary.Delivery").CreateHistogram("medialibrary.render.duration", "s",
        "Time libvips took to decode, resize and encode one derivative, by output format and result (ok, failed)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    private static readonly TimeSpan WaitForOtherNode = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, Lazy<Task<Derivative?>>> _inflight = new(StringComparer.Ordinal);

    /// <summary>The ready derivative, or null when the media is no longer at that version.</summary>
    public async Task<Derivative?> GetAsync(MediaItem media, ImageTransform transform, CancellationToken ct)
    {
        var canonical = transform.Canonical;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var ready = await scope.ServiceProvider.GetRequiredService<Derivatives>().FindReadyAsync(media.Id, media.Version, canonical, ct);
            if (ready is not null) return ready;
        }
        var flight = $"{media.Id}/{media.Version}/{canonical}";
        var lazy = _inflight.GetOrAdd(flight, _ => new Lazy<Task<Derivative?>>(() => RenderOnceAsync(flight, media, transform)));
        return await lazy.Value.WaitAsync(ct);
    }

    /// <summary>Forgets a ready derivative whose object is missing, so that the next request renders it again.</summary>
    public async Task ForgetAsync(Derivative row, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Derivatives>().AbandonAsync(row, ct);
    }

    private async Task<Derivative?> RenderOnceAsync(string flight, MediaItem media, ImageTransform transform)
    {
        try
        {
            using var timeout = new CancellationTokenSource(Derivatives.ClaimTimeout);
            return await ClaimAndRenderAsync(media, transform, timeout.Token);
        }
        finally
        {
            _inflight.TryRemove(flight, out _);
        }
    }

    private async Task<Derivative?> ClaimAndRenderAsync(MediaItem media, ImageTransform transform, CancellationToken ct)
    {
        var canonical = transform.Canonical;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var derivatives = scope.ServiceProvider.GetRequiredService<Derivatives>();
            var (outcome, row, deferred) = await derivatives.ClaimAsync(media, canonical, ct);
            switch (outcome)
            {
                case ClaimOutcome.Gone: return null;
                case ClaimOutcome.Ready: return row;
                case ClaimOutcome.Busy when waited.Elapsed < WaitForOtherNode:
                    await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
                    continue;
                case ClaimOutcome.Busy: throw new ImagingBusyException();
            }
            return await RenderAsync(media, transform, row!, deferred!, derivatives, scope.ServiceProvider.GetRequiredService<CleanupQueue>(), ct);
        }
    }

    private async Task<Derivative?> RenderAsync(MediaItem media, ImageTransform transform, Derivative claim, PendingDeletion deferred, Derivatives derivatives,
        CleanupQueue cleanup, CancellationToken ct)
    {
        var store = storage.Find(media.StorageProvider)
            ?? throw new StorageException(media.StorageProvider, media.StorageKey, $"Media {media.Id} is in '{media.StorageProvider}' storage, which this node has not configured.");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var temp = new FileStream(Path.Combine(Path.GetTempPath(), $"medialib-render-{Guid.NewGuid():N}"),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        RenderResult result;
        using var activity = Activities.StartActivity("render derivative");
        activity?.SetTag("medialibrary.media_id", media.Id).SetTag("medialibrary.transform", claim.Transform).SetTag("medialibrary.storage_key", claim.StorageKey);
        var format = new KeyValuePair<string, object?>("format", transform.Format);
        try
        {
            result = await processor.RenderAsync(media.ContentType, c => store.OpenReadAsync(media.StorageKey, c), transform, temp, ct);
            _renderDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds, format, new KeyValuePair<string, object?>("result", "ok"));
        }
        catch (Exception ex)
        {
            _renderDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds, format, new KeyValuePair<string, object?>("result", "failed"));
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            LogRenderFailed(ex, media.Id, media.Version, claim.Transform, media.StorageKey, store.Provider);
            await cleanup.DeleteUncommittedUploadAsync(deferred, CancellationToken.None); // nothing was stored: the entry goes
            await derivatives.AbandonAsync(claim, CancellationToken.None);
            throw;
        }
        temp.Position = 0;
        LogStoring(media.Id, claim.StorageKey, store.Provider, claim.Transform, result.Width, result.Height, temp.Length);
        // The claim's entry tracks the key, like an upload's: a node that dies mid-store leaves nothing once it falls due.
        StoredBlob blob;
        bool completed;
        try
        {
            await using (cleanup.KeepAlive(deferred))
                blob = await store.UploadAsync(claim.StorageKey, temp, result.ContentType, (id, c) => cleanup.RecordUploadIdAsync(deferred, id, c), ct);
            await cleanup.RekeyAsync(deferred, blob.Key, ct);
            completed = await derivatives.CompleteAsync(claim, blob, result, deferred, ct);
        }
        catch (Exception ex)
        {
            LogStoreFailed(ex, media.Id, claim.StorageKey, store.Provider);
            await cleanup.DeleteUncommittedUploadAsync(deferred, CancellationToken.None);
            await derivatives.AbandonAsync(claim, CancellationToken.None);
            throw;
        }
        if (!completed)
        {
            // Replaced or deleted while rendering: the claim was retired (and its key queued); the entry removes the object too.
            LogRetiredWhileRendering(media.Id, blob.Key, store.Provider);
            await cleanup.DeleteUncommittedUploadAsync(deferred, CancellationToken.None);
            await derivatives.AbandonAsync(claim, CancellationToken.None);
            return null;
        }
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        LogStored(media.Id, blob.Key, store.Provider, claim.Transform, blob.Size, elapsed.TotalMilliseconds);
        claim.StorageKey = blob.Key;
        claim.Ready = true;
        claim.Size = blob.Size;
        claim.Width = result.Width;
        claim.Height = result.Height;
        claim.ContentType = result.ContentType;
        return claim;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Storing derivative {Transform} of media {MediaId} at {StorageKey} on {Provider} ({Width}x{Height}, {Size} bytes)")]
    private partial void LogStoring(long mediaId, string storageKey, string provider, string transform, int width, int height, long size);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored derivative {Transform} of media {MediaId} at {StorageKey} on {Provider}: result=ok, {Size} bytes, rendered and stored in {ElapsedMs:F0} ms")]
    private partial void LogStored(long mediaId, string storageKey, string provider, string transform, long size, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing derivative {StorageKey} of media {MediaId} on {Provider}: result=failed, claim released")]
    private partial void LogStoreFailed(Exception exception, long mediaId, string storageKey, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rendering {Transform} of media {MediaId} version {Version} from {StorageKey} on {Provider}: result=failed")]
    private partial void LogRenderFailed(Exception exception, long mediaId, int version, string transform, string storageKey, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Derivative {StorageKey} of media {MediaId} on {Provider} finished after its version was retired: result=removing it")]
    private partial void LogRetiredWhileRendering(long mediaId, string storageKey, string provider);
}
