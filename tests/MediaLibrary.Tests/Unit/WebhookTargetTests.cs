using System.Net;
using MediaLibrary.Webhooks;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Tests.Unit;

/// <summary>The webhook address guard: what a target may resolve to, at registration and on every connection.</summary>
public sealed class WebhookTargetTests
{
    private static WebhookTargets Targets(string allowed = "") => new(Options.Create(new WebhookOptions { AllowedNetworks = allowed }));

    [Theory]
    [InlineData("127.0.0.1")] [InlineData("127.5.6.7")] [InlineData("10.0.0.1")] [InlineData("172.16.0.1")] [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")] [InlineData("169.254.169.254")] [InlineData("100.64.0.1")] [InlineData("0.0.0.0")] [InlineData("224.0.0.1")]
    [InlineData("::1")] [InlineData("::")] [InlineData("fe80::1")] [InlineData("fd12:3456::1")] [InlineData("::ffff:127.0.0.1")] [InlineData("::ffff:10.0.0.1")]
    public void InternalAddresses_AreRefused_UnlessAllowed(string address)
    {
        var ip = IPAddress.Parse(address);
        Assert.False(Targets().Permits(ip));
        Assert.True(Targets("0.0.0.0/0, ::/0").Permits(ip));
    }

    [Theory]
    [InlineData("93.184.216.34")] [InlineData("172.32.0.1")] [InlineData("8.8.8.8")] [InlineData("2606:4700::1111")]
    public void PublicAddresses_ArePermitted(string address) => Assert.True(Targets().Permits(IPAddress.Parse(address)));

    [Fact]
    public void TheAllowList_OpensOnlyItsOwnNetwork()
    {
        var targets = Targets("10.1.2.0/24");
        Assert.True(targets.Permits(IPAddress.Parse("10.1.2.200")));
        Assert.False(targets.Permits(IPAddress.Parse("10.1.3.1")));
        Assert.False(targets.Permits(IPAddress.Parse("127.0.0.1")));
    }

    [Fact]
    public async Task AConnection_ToARefusedAddress_IsNeverOpened()
    {
        var context = new SocketsHttpConnectionContextProbe("localhost", 80);
        var refused = await Assert.ThrowsAsync<WebhookTargetRefusedException>(async () => await Targets().ConnectAsync(context.Value, TestContext.Current.CancellationToken));
        Assert.Contains("127.0.0.1", refused.Message);
    }

    [Fact]
    public void ABadAllowList_IsRefusedAtStart_NamingTheVariable()
    {
        var results = new WebhookOptions { AllowedNetworks = "10.0.0.0/8, intranet" }.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(new object())).ToList();
        Assert.Contains("MEDIALIB_WEBHOOK_ALLOWED_NETWORKS", Assert.Single(results).ErrorMessage);
        Assert.Contains("'intranet'", results[0].ErrorMessage);
    }

    /// <summary>SocketsHttpConnectionContext has no public constructor: one made the way the handler makes it.</summary>
    private sealed class SocketsHttpConnectionContextProbe(string host, int port)
    {
        public SocketsHttpConnectionContext Value { get; } = (SocketsHttpConnectionContext)Activator.CreateInstance(typeof(SocketsHttpConnectionContext),
            System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance, null,
            [new DnsEndPoint(host, port), new HttpRequestMessage(HttpMethod.Post, $"http://{host}:{port}/")], null)!;
    }
}
