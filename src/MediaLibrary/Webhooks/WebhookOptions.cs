using System.ComponentModel.DataAnnotations;
using System.Net;

namespace MediaLibrary.Webhooks;

public sealed class WebhookOptions : IValidatableObject
{
    /// <summary>
    /// Networks (CIDR, comma-separated) a webhook may be sent to although they are loopback, private or link-local,
    /// such as <c>10.1.2.0/24</c> for a site's backend on the same private network. Empty: public addresses only.
    /// </summary>
    [ConfigurationKeyName("MEDIALIB_WEBHOOK_ALLOWED_NETWORKS")]
    public string AllowedNetworks { get; set; } = "";

    /// <summary>How long a receiver has to answer an attempt.</summary>
    [ConfigurationKeyName("MEDIALIB_WEBHOOK_TIMEOUT_SECONDS")]
    [Range(1, 120, ErrorMessage = "MEDIALIB_WEBHOOK_TIMEOUT_SECONDS must be between 1 and 120.")]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>How often each node looks for deliveries that are due (and for endpoints added on other nodes).</summary>
    [ConfigurationKeyName("MEDIALIB_WEBHOOK_POLL_MILLISECONDS")]
    [Range(50, 60_000, ErrorMessage = "MEDIALIB_WEBHOOK_POLL_MILLISECONDS must be between 50 and 60000.")]
    public int PollMilliseconds { get; set; } = 1000;

    /// <summary>Delivered and dead deliveries (and their events) are kept this long for the delivery list.</summary>
    [ConfigurationKeyName("MEDIALIB_WEBHOOK_RETENTION_DAYS")]
    [Range(1, 3650, ErrorMessage = "MEDIALIB_WEBHOOK_RETENTION_DAYS must be between 1 and 3650.")]
    public int RetentionDays { get; set; } = 30;

    public IReadOnlyList<IPNetwork> AllowedNetworkList => Parse(AllowedNetworks).Networks;

    private static (List<IPNetwork> Networks, List<string> Bad) Parse(string text)
    {
        var (networks, bad) = (new List<IPNetwork>(), new List<string>());
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(part, out var network)) networks.Add(network);
            else bad.Add(part);
        }
        return (networks, bad);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var bad = Parse(AllowedNetworks).Bad;
        if (bad.Count > 0)
            yield return new ValidationResult(
                $"MEDIALIB_WEBHOOK_ALLOWED_NETWORKS must be networks in CIDR notation such as 10.0.0.0/8 or ::1/128, comma-separated; not {string.Join(", ", bad.Select(b => $"'{b}'"))}.",
                [nameof(AllowedNetworks)]);
    }
}
