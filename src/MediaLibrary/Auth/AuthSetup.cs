using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

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
        services.AddSingleton<TokenService>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<JwtSigningKey, TimeProvider>((o, key, time) =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = TokenService.ValidationParameters(key, time);
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
