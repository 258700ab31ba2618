using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using MediaLibrary.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace MediaLibrary.Auth;

public static class AuthSetup
{
    public const int PasswordIterations = 210_000;

    /// <summary>Users, their password hashes, HS256 tokens, the roles' policies, and the brake on token requests.</summary>
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
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
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
                    if (session is null || !await sessions.IsActiveAsync(session, context.HttpContext.RequestAborted))
                        context.Fail("The sign-in has ended (signed out, revoked, or the user changed).");
                },
            };
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Read, p => p.RequireAuthenticatedUser())
            .AddPolicy(Policies.Edit, p => p.RequireRole(Roles.Editor, Roles.Admin))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin));
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(AuthEndpoints.TokenRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = http.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.TokenRequestsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                }));
        });
        return services;
    }
}
