using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using MediaLibrary.Data;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MediaLibrary.Auth;

/// <summary>The HMAC key that signs and validates access tokens.</summary>
public sealed class JwtSigningKey
{
    public const string FileName = "jwt-signing.key";

    public JwtSigningKey(IOptions<AuthOptions> options, DataDirectory data)
    {
        if (!string.IsNullOrEmpty(options.Value.JwtSigningKey))
        {
            var bytes = Encoding.UTF8.GetBytes(options.Value.JwtSigningKey);
            if (bytes.Length < 32)
                throw new OptionsValidationException("MEDIALIB_JWT_SIGNING_KEY", typeof(AuthOptions), ["MEDIALIB_JWT_SIGNING_KEY must be at least 32 bytes long."]);
            Key = new SymmetricSecurityKey(bytes);
            Source = "MEDIALIB_JWT_SIGNING_KEY";
            return;
        }
        Key = new SymmetricSecurityKey(data.LoadOrCreateKey(FileName));
        Source = Path.Combine(data.Path, FileName);
    }

    public SymmetricSecurityKey Key { get; }

    /// <summary>Where the key came from (never the key itself).</summary>
    public string Source { get; }
}

public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn);

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
