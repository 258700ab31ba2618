using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using MediaLibrary.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace MediaLibrary.Auth;

public static partial class AuthSetup
{
    public const int PasswordIterations = 210_000;

    /// <summary>Users, their password hashes, single sign-on, HS256 tokens, the roles' policies, and the brake on token requests.</summary>
    public static IServiceCollection AddAuth(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<AuthOptions>().Bind(config).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<UserAccounts>();
        // PBKDF2-HMAC-SHA512 at OWASP's count for it (2023: 210,000); a hash made with fewer is redone at its next sign-in.
        services.Configure<PasswordHasherOptions>(o => o.IterationCount = PasswordIterations);
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddSingleton<JwtSigningKey>();
        // The key ring (antiforgery and anything else the framework protects) in the database, shared by every node,
        // encrypted under the signing key.
        services.AddDataProtection().SetApplicationName("MediaLibrary").PersistKeysToDbContext<MediaDbContext>();
        services.AddOptions<KeyManagementOptions>().Configure<JwtSigningKey>((o, key) => o.XmlEncryptor = new KeyRingEncryption(key));
        services.AddScoped<TokenService>();
        services.AddScoped<SignInThrottling>();
        services.AddSingleton<SessionCheck>();
        services.AddSingleton<ApiKeyCheck>();
        services.AddScoped<ApiKeys>();
        // A bearer token is a sign-in's JWT or an API key (mlk_…): each goes to the handler that reads it.
        var authentication = services.AddAuthentication(ApiKeyAuthentication.BearerOrKey);
        authentication
            .AddPolicyScheme(ApiKeyAuthentication.BearerOrKey, "JWT bearer or API key", o => o.ForwardDefaultSelector = http =>
                ApiKeyAuthentication.IsKey(http.Request) ? ApiKeyAuthentication.SchemeName : JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddSingleSignOn(authentication, config);
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<JwtSigningKey, TimeProvider>((o, key, time) =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = TokenService.ValidationParameters(key, time);
            o.Events = new JwtBearerEvents
            {
                // An <img> cannot send a bearer header: under /files, reads may carry the token in the files cookie.
                OnMessageReceived = context =>
                {
                    var request = context.Request;
                    if (string.IsNullOrEmpty(request.Headers.Authorization) && request.Path.StartsWithSegments("/files")
                        && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
                        && request.Cookies.TryGetValue(AuthEndpoints.FilesCookie, out var cookie))
                        context.Token = cookie;
                    return Task.CompletedTask;
                },
                // A signed, unexpired token counts only while its sign-in stands (see SessionCheck).
                OnTokenValidated = async context =>
                {
                    var session = context.Principal?.FindFirst(JwtRegisteredClaimNames.Jti)?.Value;
                    var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionCheck>();
                    bool active;
                    try
                    {
                        active = session is not null && await sessions.IsActiveAsync(session, context.HttpContext.RequestAborted);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // The database cannot say: the sign-in is neither honoured nor ended. The challenge answers 503,
                        // so a client retries instead of throwing its sign-in away.
                        context.HttpContext.Items[SessionCheck.UnavailableItem] = ex;
                        context.Fail("The sign-in could not be checked.");
                        return;
                    }
                    if (!active) context.Fail("The sign-in has ended (signed out, revoked, or the user changed).");
                },
                OnChallenge = async context =>
                {
                    if (context.HttpContext.Items[SessionCheck.UnavailableItem] is not Exception cause) return;
                    context.HandleResponse();
                    await AnswerUnavailableAsync(context.HttpContext, cause);
                },
            };
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Read, p => p.RequireAuthenticatedUser())
            .AddPolicy(Policies.Edit, p => p.RequireRole(Roles.Editor, Roles.Admin))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.References, p => p.RequireAssertion(c => c.User.IsInRole(Roles.Editor) || c.User.IsInRole(Roles.Admin)
                || c.User.HasClaim(ApiKeyScopes.Claim, ApiKeyScopes.References)));
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(AuthEndpoints.TokenRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                ClientOf(http.Connection.RemoteIpAddress),
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = http.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.TokenRequestsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                }));
        });
        return services;
    }

    /// <summary>
    /// Whose count a token request joins: an IPv4 address, or an IPv6 address's /64 (one household or server gets a
    /// whole /64, so counting single IPv6 addresses would let one client take 2^64 turns).
    /// </summary>
    public static string ClientOf(System.Net.IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new System.Net.IPAddress(bytes) + "/64";
    }

    /// <summary>A token or key that the database could not check: 503 with Retry-After, so a client retries instead of giving up.</summary>
    public static async Task AnswerUnavailableAsync(HttpContext http, Exception cause)
    {
        LogCheckFailed(http.RequestServices.GetRequiredService<ILogger<SessionCheck>>(), cause);
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = "5";
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = 503, Title = "Sign-ins cannot be checked right now.", Detail = "The database did not answer. Try again in a few seconds." },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A sign-in could not be checked against the database: answered 503")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
