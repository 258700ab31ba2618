using System.Security.Cryptography;
using System.Text;
using MediaLibrary.Data;
using MediaLibrary.Web;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Auth;

/// <summary>API keys: created by admins (API and command line), shown once, stored hashed, revoked for good.</summary>
public sealed partial class ApiKeys(MediaDbContext db, ApiKeyCheck check, TimeProvider time, ILogger<ApiKeys> logger)
{
    public const string KeyPrefix = "mlk_";
    public const int MaxNameLength = 80;
    private const int LookupBytes = 6;
    private const int SecretBytes = 32;

    /// <summary>A new key: its row and the key itself, which is never stored and cannot be shown again.</summary>
    public async Task<(ApiKey Row, string Key)> CreateAsync(string name, IReadOnlyCollection<string> scopes, DateTime? expiresAt, string createdBy,
        CancellationToken ct)
    {
        var now = Now();
        if (NameProblem(name) is { } badName) throw new ArgumentException(badName);
        if (ScopesProblem(scopes) is { } badScopes) throw new ArgumentException(badScopes);
        if (ExpiryProblem(expiresAt, now) is { } badExpiry) throw new ArgumentException(badExpiry);
        var lookup = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(LookupBytes));
        var key = $"{KeyPrefix}{lookup}_{Base64Url(RandomNumberGenerator.GetBytes(SecretBytes))}";
        var row = new ApiKey
        {
            Name = name.Trim(), LookupId = lookup, SecretHash = Hash(key), Scopes = string.Join(' ', ApiKeyScopes.All.Where(scopes.Contains)),
            CreatedAt = now, CreatedBy = createdBy, ExpiresAt = expiresAt?.ToUniversalTime(),
        };
        db.ApiKeys.Add(row);
        await db.SaveChangesAsync(ct);
        LogCreated(row.Id, row.Prefix, LogText.Safe(row.Name), row.Scopes, row.ExpiresAt, LogText.Safe(createdBy));
        return (row, key);
    }

    public Task<List<ApiKey>> ListAsync(CancellationToken ct) => db.ApiKeys.AsNoTracking().OrderByDescending(k => k.Id).ToListAsync(ct);

    public Task<ApiKey?> FindAsync(long id, CancellationToken ct) => db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id, ct);

    /// <summary>Revokes the key: this node refuses it at once, every other within <see cref="ApiKeyCheck.RememberFor"/>. Null if there is no such key.</summary>
    public async Task<ApiKey?> RevokeAsync(long id, string revokedBy, CancellationToken ct)
    {
        var row = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, ct);
        if (row is null) return null;
        if (row.RevokedAt is null)
        {
            row.RevokedAt = Now();
            await db.SaveChangesAsync(ct);
            LogRevoked(row.Id, row.Prefix, LogText.Safe(row.Name), LogText.Safe(revokedBy));
        }
        check.Forget(row.LookupId);
        return row;
    }

    /// <summary>The lookup id of a token shaped like a key (<c>mlk_</c>, 12 hex characters, <c>_</c>, the secret).</summary>
    public static bool TryReadLookupId(string token, out string lookupId)
    {
        lookupId = "";
        var secretLength = Base64Url(new byte[SecretBytes]).Length;
        if (token.Length != KeyPrefix.Length + LookupBytes * 2 + 1 + secretLength || !token.StartsWith(KeyPrefix, StringComparison.Ordinal)
            || token[KeyPrefix.Length + LookupBytes * 2] != '_')
            return false;
        var lookup = token.AsSpan(KeyPrefix.Length, LookupBytes * 2);
        foreach (var c in lookup)
            if (c is not (>= '0' and <= '9' or >= 'a' and <= 'f')) return false;
        lookupId = lookup.ToString();
        return true;
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string? NameProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaxNameLength || name.Any(char.IsControl)
            ? $"A key's name is 1 to {MaxNameLength} characters without control characters." : null;

    public static string? ScopesProblem(IReadOnlyCollection<string>? scopes)
    {
        if (scopes is null || scopes.Count == 0) return $"Give at least one scope: {string.Join(", ", ApiKeyScopes.All)}.";
        var unknown = scopes.Where(s => !ApiKeyScopes.All.Contains(s, StringComparer.Ordinal)).ToList();
        return unknown.Count == 0 ? null
            : $"Unknown scope {string.Join(", ", unknown.Take(5).Select(s => $"'{LogText.Safe(s.Length > 40 ? s[..40] : s)}'"))}. Scopes: {string.Join(", ", ApiKeyScopes.All)}.";
    }

    public static string? ExpiryProblem(DateTime? expiresAt, DateTime now) =>
        expiresAt is { } at && at.ToUniversalTime() <= now ? "The expiry must be in the future." : null;

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

    [LoggerMessage(Level = LogLevel.Information, Message = "API key {KeyId} ({KeyPrefix}, {KeyName}) created with scopes {Scopes}, expiring {ExpiresAt}, by {CreatedBy}")]
    private partial void LogCreated(long keyId, string keyPrefix, string keyName, string scopes, DateTime? expiresAt, string createdBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "API key {KeyId} ({KeyPrefix}, {KeyName}) revoked by {RevokedBy}")]
    private partial void LogRevoked(long keyId, string keyPrefix, string keyName, string revokedBy);
}
