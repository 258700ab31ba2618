using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MediaLibrary.Media;

/// <summary>The lifecycle's instruments (meter and activity source <c>MediaLibrary.Media</c>): what uploads store and how long it takes.</summary>
public sealed class MediaMetrics
{
    public const string Name = "MediaLibrary.Media";

    /// <summary>A span per stored upload: the streaming to storage and the decode that checks it.</summary>
    public static readonly ActivitySource Activities = new(Name);

    private readonly Histogram<long> _size;
    private readonly Histogram<double> _duration;

    public MediaMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        _size = meter.CreateHistogram("medialibrary.upload.size", "By", "Bytes of each stored upload (new media and replaced files)",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1 << 10, 16 << 10, 128 << 10, 1 << 20, 4 << 20, 16 << 20, 64 << 20, 256 << 20, 1 << 30] });
        _duration = meter.CreateHistogram("medialibrary.upload.duration", "s",
            "Time from the file's first byte to its stored, checked copy, by storage provider and result (ok, refused, failed)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] });
    }

    public void Stored(string provider, long bytes, TimeSpan elapsed)
    {
        _size.Record(bytes, new KeyValuePair<string, object?>("provider", provider));
        _duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("provider", provider), new KeyValuePair<string, object?>("result", "ok"));
    }

    /// <summary>An upload that did not end stored: refused (type, size, pixels, undecodable) or failed (storage, connection).</summary>
    public void NotStored(string provider, string result, TimeSpan elapsed) =>
        _duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("provider", provider), new KeyValuePair<string, object?>("result", result));
}
