using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Webhooks;

/// <summary>
/// Where a webhook may go: an absolute http(s) URL whose host resolves to public addresses only, unless
/// MEDIALIB_WEBHOOK_ALLOWED_NETWORKS lets a loopback, private or link-local one through. Checked when an endpoint is
/// saved (a clear 400) and again on every connection (<see cref="ConnectAsync"/>), against the address actually dialled,
/// so a name that resolves elsewhere later (DNS rebinding) reaches nothing inside.
/// </summary>
public sealed class WebhookTargets(IOptions<WebhookOptions> options)
{
    public const int MaxUrlLength = 2000;

    private static readonly IPNetwork[] Internal = [.. new[]
    {
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
        "::/128", "::1/128", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
    }.Select(n => IPNetwork.Parse(n))];

    private readonly IReadOnlyList<IPNetwork> _allowed = options.Value.AllowedNetworkList;

    /// <summary>Whether a connection to <paramref name="address"/> is allowed.</summary>
    public bool Permits(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return !Internal.Any(n => n.Contains(address)) || _allowed.Any(n => n.Contains(address));
    }

    /// <summary>What is wrong with <paramref name="url"/> as a webhook target, or null when nothing is.</summary>
    public async Task<string?> ProblemAsync(string? url, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(url)) return "A URL is required.";
        if (url.Length > MaxUrlLength) return $"The URL is longer than {MaxUrlLength} characters.";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            return "The URL must be an absolute http or https URL, such as https://www.example.com/api/revalidate.";
        if (uri.UserInfo.Length > 0) return "The URL must not hold a user name or password; the signature authenticates the request.";
        if (uri.Fragment.Length > 0) return "The URL must not have a fragment (#…).";
        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(uri.IdnHost, ct);
        }
        catch (SocketException)
        {
            return $"The host {uri.Host} could not be resolved.";
        }
        var refused = addresses.FirstOrDefault(a => !Permits(a));
        return refused is null ? null
            : $"The host {uri.Host} resolves to {refused}, a loopback, private or link-local address. Webhooks go to public addresses only, "
                + "unless MEDIALIB_WEBHOOK_ALLOWED_NETWORKS names the network.";
    }

    /// <summary>
    /// The HTTP client's connection: resolves the host, drops every address that is not permitted, and connects to the
    /// first of the rest that answers. With none left it refuses, naming the address.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = await ResolveAsync(host, ct);
        var permitted = addresses.Where(Permits).ToList();
        if (permitted.Count == 0)
            throw new WebhookTargetRefusedException(
                $"{host} resolves to {string.Join(", ", addresses.Select(a => a.ToString()))}: loopback, private or link-local, and not in MEDIALIB_WEBHOOK_ALLOWED_NETWORKS.");
        Exception? last = null;
        foreach (var address in permitted)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(address, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
        }
        throw last!;
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
}
