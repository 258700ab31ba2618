using System.ComponentModel.DataAnnotations;

namespace MediaLibrary.Hosting;

/// <summary>Metrics and traces: off unless asked for.</summary>
public sealed class TelemetryOptions : IValidatableObject
{
    /// <summary>Serve Prometheus metrics at /metrics on the service's own port, to a token with role admin.</summary>
    [ConfigurationKeyName("MEDIALIB_METRICS")]
    public bool Metrics { get; set; }

    /// <summary>
    /// Serve /metrics at this URL instead (such as http://127.0.0.1:9464), with no token: a port of its own, which the
    /// network keeps to the scraper. The service listens there too, for /metrics only.
    /// </summary>
    [ConfigurationKeyName("MEDIALIB_METRICS_URL")]
    public string? MetricsUrl { get; set; }

    /// <summary>The OpenTelemetry collector that traces and metrics are sent to (OTLP); the standard variable.</summary>
    [ConfigurationKeyName("OTEL_EXPORTER_OTLP_ENDPOINT")]
    public string? OtlpEndpoint { get; set; }

    public bool MetricsServed => Metrics || MetricsPort is not null;

    public int? MetricsPort => Uri.TryCreate(MetricsUrl, UriKind.Absolute, out var uri) ? uri.Port : null;

    public bool Otlp => !string.IsNullOrWhiteSpace(OtlpEndpoint);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(MetricsUrl)) yield break;
        if (!Uri.TryCreate(MetricsUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/"
            || !System.Text.RegularExpressions.Regex.IsMatch(MetricsUrl, @":\d+/?$"))
            yield return new ValidationResult(
                $"MEDIALIB_METRICS_URL is '{MetricsUrl}'; it is where /metrics is served, with a port and no path, such as http://127.0.0.1:9464.");
    }
}
