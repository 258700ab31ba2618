using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MediaLibrary.Auth;

public sealed class TokenService(JwtSigningKey key, IOptions<AuthOptions> options, TimeProvider time)
{
    public const string Issuer = "medialibrary";
    public const string Audience = "medialibrary";

    public TokenResponse Issue(User user)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var lifetime = TimeSpan.FromMinutes(options.Value.TokenLifetimeMinutes);
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Subject = new ClaimsIdentity([
                new Claim(JwtRegisteredClaimNames.Sub, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Claim("name", user.UserName),
                new Claim("role", user.Role),
                new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("n")),
            ]),
            SigningCredentials = new SigningCredentials(key.Key, SecurityAlgorithms.HmacSha256),
        });
        return new TokenResponse(token, "Bearer", (int)lifetime.TotalSeconds);
    }

    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static TokenValidationParameters ValidationParameters(JwtSigningKey key, TimeProvider time) => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = key.Key,
        // Pinning the algorithm rejects "alg: none" and any algorithm substitution.
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        // The clock that issues tokens also judges them (the library's own check reads the system clock).
        LifetimeValidator = (notBefore, expires, _, _) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            return expires is not null && expires.Value.ToUniversalTime() > now - ClockSkew
                && (notBefore is null || notBefore.Value.ToUniversalTime() <= now + ClockSkew);
        },
        NameClaimType = "name",
        RoleClaimType = "role",
    };
}
