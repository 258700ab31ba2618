using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Auth;

/// <summary>
/// Single sign-on, start to finish: the page's button opens /api/auth/sso/start, which sends the browser to the
/// provider (authorization code flow with PKCE; state and nonce protected by the key ring every node shares). The
/// provider sends it back to /api/auth/sso/callback, where the account becomes a user (<see cref="SingleSignOn"/>) and
/// a sign-in's token is issued. The token never travels in a URL: it waits for two minutes in an encrypted, HttpOnly,
/// SameSite=Strict cookie scoped to /api/auth/sso, which the page exchanges once for it (POST /api/auth/sso/token).
/// </summary>
public static partial class SingleSignOnSetup
{
    public const string CallbackPath = "/api/auth/sso/callback";
    public const string HandoffCookie = "medialib_sso";
    private const string HandoffPath = "/api/auth/sso";
    private static readonly TimeSpan HandoffLifetime = TimeSpan.FromMinutes(2);
    private const string HandoffPurpose = "MediaLibrary.SingleSignOn.Handoff";

    public static void AddSingleSignOn(this IServiceCollection services, AuthenticationBuilder authentication, IConfiguration config)
    {
        services.AddOptions<SingleSignOnOptions>().Bind(config).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<SingleSignOn>();
        if (string.IsNullOrWhiteSpace(config["MEDIALIB_OIDC_AUTHORITY"])) return;
        authentication.AddOpenIdConnect(SingleSignOn.Scheme, _ => { });
        services.AddOptions<OpenIdConnectOptions>(SingleSignOn.Scheme).Configure<IOptions<SingleSignOnOptions>>((o, sso) =>
        {
            var s = sso.Value;
            o.Authority = s.Authority;
            o.ClientId = s.ClientId;
            o.ClientSecret = string.IsNullOrEmpty(s.ClientSecret) ? null : s.ClientSecret;
            o.RequireHttpsMetadata = s.RequireHttps;
            o.ResponseType = "code";
            // A GET back from the provider: the correlation and nonce cookies can then be SameSite=Lax, which a browser
            // keeps over plain HTTP too (form_post needs SameSite=None, which needs HTTPS).
            o.ResponseMode = "query";
            o.UsePkce = true;
            o.CallbackPath = CallbackPath;
            o.Scope.Clear();
            foreach (var scope in s.ScopeList) o.Scope.Add(scope);
            o.MapInboundClaims = false;
            o.GetClaimsFromUserInfoEndpoint = true;
            o.ClaimActions.MapUniqueJsonKey("preferred_username", "preferred_username");
            o.ClaimActions.MapJsonKey(s.RoleClaim, s.RoleClaim); // an array gives one claim per value
            o.SaveTokens = false;
            o.BackchannelTimeout = TimeSpan.FromSeconds(30);
            foreach (var cookie in new[] { o.CorrelationCookie, o.NonceCookie })
            {
                cookie.SameSite = SameSiteMode.Lax;
                cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            }
            o.Events = new OpenIdConnectEvents
            {
                OnTicketReceived = FinishAsync,
                OnRemoteFailure = context =>
                {
                    LogFailed(Logger(context.HttpContext), context.Failure?.Message ?? "unknown");
                    context.Response.Redirect("/?sso-error=failed");
                    context.HandleResponse();
                    return Task.CompletedTask;
                },
                OnAccessDenied = context =>
                {
                    context.Response.Redirect("/?sso-error=denied");
                    context.HandleResponse();
                    return Task.CompletedTask;
                },
            };
        });
    }

    /// <summary>The provider vouched for an account: make it a user, issue its token, hand it to the page.</summary>
    private static async Task FinishAsync(TicketReceivedContext context)
    {
        context.HandleResponse(); // this service signs in with its own tokens, not a cookie
        var http = context.HttpContext;
        var (user, refusal) = await http.RequestServices.GetRequiredService<SingleSignOn>().SignInAsync(context.Principal!, http.RequestAborted);
        if (user is null)
        {
            http.Response.Redirect(refusal == SingleSignOn.Refusal.NoRole ? "/?sso-error=not-allowed" : "/?sso-error=failed");
            return;
        }
        var token = await http.RequestServices.GetRequiredService<TokenService>().IssueAsync(user, http.RequestAborted);
        var protector = Protector(http).ToTimeLimitedDataProtector();
        var sealedToken = protector.Protect(System.Text.Json.JsonSerializer.Serialize(token), HandoffLifetime);
        http.Response.Cookies.Append(HandoffCookie, sealedToken, HandoffCookieOptions(http, DateTimeOffset.UtcNow + HandoffLifetime));
        http.Response.Redirect("/?sso=done");
    }

    public static RouteGroupBuilder MapSingleSignOn(this RouteGroupBuilder group)
    {
        group.MapGet("/sso/start", Start)
            .WithName("StartSingleSignOn")
            .WithSummary("For a browser: go to the OpenID provider to sign in; it comes back to the editors' page signed in.")
            .Produces(StatusCodes.Status302Found)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/sso/token", Exchange)
            .WithName("CompleteSingleSignOn")
            .WithSummary("For the page the provider sent back: the sign-in's bearer token, once, from the cookie the sign-in left (two minutes).")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return group;
    }

    public static IResult Start(IOptions<SingleSignOnOptions> options) => options.Value.Enabled
        ? Results.Challenge(new AuthenticationProperties { RedirectUri = "/" }, [SingleSignOn.Scheme])
        : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Single sign-on is not configured.",
            detail: "Set MEDIALIB_OIDC_AUTHORITY and MEDIALIB_OIDC_CLIENT_ID to sign in with an OpenID provider.");

    public static Results<Ok<TokenResponse>, ProblemHttpResult> Exchange(HttpContext http)
    {
        var cookie = http.Request.Cookies[HandoffCookie];
        http.Response.Cookies.Delete(HandoffCookie, HandoffCookieOptions(http, null));
        TokenResponse? token = null;
        if (!string.IsNullOrEmpty(cookie))
        {
            try
            {
                token = System.Text.Json.JsonSerializer.Deserialize<TokenResponse>(Protector(http).ToTimeLimitedDataProtector().Unprotect(cookie));
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                // Expired, or not one this service sealed.
            }
        }
        return token is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "No single sign-on to complete.",
                detail: "The sign-in was finished already or took longer than two minutes. Sign in again.")
            : TypedResults.Ok(token);
    }

    private static IDataProtector Protector(HttpContext http) =>
        http.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(HandoffPurpose);

    private static CookieOptions HandoffCookieOptions(HttpContext http, DateTimeOffset? expires) => new()
    {
        Path = HandoffPath,
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        Expires = expires,
        IsEssential = true,
    };

    private static ILogger Logger(HttpContext http) => http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SingleSignOn));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Single sign-on failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
