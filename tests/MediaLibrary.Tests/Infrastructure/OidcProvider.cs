using System.Text.Json;

namespace MediaLibrary.Tests.Infrastructure;

/// <summary>
/// A real OpenID provider (oidc-provider from tests/tools, a certified implementation) on loopback, with one
/// confidential client for the service and its development sign-in pages, which take any login and password. The
/// accounts map a login to the claims it gets; other logins get a name and an e-mail address and no groups.
/// </summary>
public sealed class OidcProvider : IAsyncDisposable
{
    public const string ClientId = "media-library";
    public const string ClientSecret = "oidc-test-client-secret";
    private readonly NodeTool _server;

    private OidcProvider(NodeTool server) => _server = server;

    /// <summary>The provider's issuer URL (MEDIALIB_OIDC_AUTHORITY): another site than the service's 127.0.0.1.</summary>
    public string Issuer => $"http://localhost:{_server.Port}";

    /// <summary>What the provider printed, for a failing test's message.</summary>
    public string Log => _server.Log;

    public static async Task<OidcProvider> StartAsync(string redirectUri, object accounts) =>
        new(await NodeTool.StartAsync("oidc-server.mjs", "oidc-provider",
            port => [port, ClientId, ClientSecret, redirectUri, JsonSerializer.Serialize(accounts)]));

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        _server.Process.Dispose();
    }
}
