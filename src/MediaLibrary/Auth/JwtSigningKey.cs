using System.Text;
using MediaLibrary.Data;
using Microsoft.Extensions.Options;
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
