using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer mlk_…</c>: the key's row found by its lookup id, the whole key compared with
/// the stored hash in constant time, neither revoked nor expired. The principal carries the key's name (as history
/// names it), the role of its widest scope, and each scope.
/// </summary>
public sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggers, UrlEncoder encoder,
    ApiKeyCheck keys, TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggers, encoder)
{
    public const string SchemeName = "ApiKey";

    /// <summary>The scheme that reads a bearer token: this one for a key, JWT bearer for a sign-in's token.</summary>
    public const string BearerOrKey = "BearerOrKey";

    public const string KeyIdClaim = "key_id";

    public static bool IsKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer " + ApiKeys.KeyPrefix, StringComparison.OrdinalIgnoreCase);
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!IsKey(Request)) return AuthenticateResult.NoResult();
        var token = Request.Headers.Authorization.ToString()["Bearer ".Length..].Trim();
        if (!ApiKeys.TryReadLookupId(token, out var lookupId)) return AuthenticateResult.Fail("The API key is malformed.");
        ApiKeyCheck.Grant? grant;
        try
        {
            grant = await keys.FindAsync(lookupId, Context.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // As for a sign-in's token: neither honoured nor refused; the challenge answers 503.
            Context.Items[SessionCheck.UnavailableItem] = ex;
            return AuthenticateResult.Fail("The API key could not be checked.");
        }
        if (grant is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(ApiKeys.Hash(token)), Encoding.ASCII.GetBytes(grant.SecretHash)))
            return AuthenticateResult.Fail("The API key is not valid.");
        if (grant.RevokedAt is not null) return AuthenticateResult.Fail("The API key has been revoked.");
        if (grant.ExpiresAt is { } expires && expires <= time.GetUtcNow().UtcDateTime) return AuthenticateResult.Fail("The API key has expired.");
        await keys.TouchAsync(grant, Context.RequestAborted);

        var claims = new List<Claim>
        {
            new("name", ApiKey.Actor(grant.LookupId, grant.Name)),
            new(KeyIdClaim, grant.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        if (ApiKeyScopes.RoleOf(grant.Scopes) is { } role) claims.Add(new Claim("role", role));
        claims.AddRange(grant.Scopes.Select(s => new Claim(ApiKeyScopes.Claim, s)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, "name", "role"));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[SessionCheck.UnavailableItem] is Exception cause)
        {
            await AuthSetup.AnswerUnavailableAsync(Context, cause);
            return;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
    }
}
