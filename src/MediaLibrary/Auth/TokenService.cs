using System.Security.Claims;
using MediaLibrary.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MediaLibrary.Auth;

/// <summary>Issues tokens, each for a new <see cref="Session"/> whose id it carries as its jti.</summary>
public sealed class TokenService(MediaDbContext db, JwtSigningKey key, IOptions<AuthOptions> options, TimeProvider time)
{
    public const string Issuer = "medialibrary";
    public const string Audience = "medialibrary";

    public async Task<TokenResponse> IssueAsync(User user, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var lifetime = TimeSpan.FromMinutes(options.Value.TokenLifetimeMinutes);
        var session = new Session
        {
            Id = Guid.NewGuid().ToString("n"), UserId = user.Id, SecurityStamp = user.SecurityStamp, CreatedAt = now, ExpiresAt = now + lifetime,
        };
        // Sessions past their tokens' lifetime go as new ones come: the table holds the live ones and a few more.
        await db.Sessions.Where(s => s.ExpiresAt < now - ClockSkew).ExecuteDeleteAsync(ct);
        db.Sessions.Add(session);
        await db.SaveChangesAsync(ct);
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
                new Claim(JwtRegisteredClaimNames.Jti, session.Id),
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
