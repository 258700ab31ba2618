using System.Collections.Concurrent;
using MediaLibrary.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace MediaLibrary.Auth;

/// <summary>
/// A key's row as requests check it. Each node remembers it for <see cref="RememberFor"/>, so a revocation made on
/// another node takes effect here within that time; on the node that revokes, at once. The time of last use is
/// written at most once a minute per key and node, never once per request.
/// </summary>
public sealed partial class ApiKeyCheck(IServiceScopeFactory scopes, TimeProvider time, ILogger<ApiKeyCheck> logger) : IDisposable
{
    public static readonly TimeSpan RememberFor = SessionCheck.RememberFor;
    private static readonly TimeSpan UseResolution = TimeSpan.FromMinutes(1);

    public sealed record Grant(long Id, string LookupId, string Name, string SecretHash, string[] Scopes, DateTime? ExpiresAt, DateTime? RevokedAt);

    private readonly MemoryCache _grants = new(new MemoryCacheOptions { SizeLimit = 10_000, Clock = new SessionCheck.Clock(time) });
    private readonly ConcurrentDictionary<long, DateTime> _lastWritten = new();

    /// <summary>The key's row, or null when no key has that lookup id. Throws when the database does not answer.</summary>
    public async ValueTask<Grant?> FindAsync(string lookupId, CancellationToken ct)
    {
        if (_grants.TryGetValue(lookupId, out Grant? grant)) return grant;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MediaDbContext>();
            grant = await db.ApiKeys.AsNoTracking().Where(k => k.LookupId == lookupId)
                .Select(k => new Grant(k.Id, k.LookupId, k.Name, k.SecretHash, k.Scopes.Split(' ', StringSplitOptions.None), k.ExpiresAt, k.RevokedAt))
                .FirstOrDefaultAsync(ct);
        }
        _grants.Set(lookupId, grant, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = RememberFor });
        return grant;
    }

    /// <summary>This node stops honouring the key now.</summary>
    public void Forget(string lookupId) => _grants.Remove(lookupId);

    /// <summary>Records that the key was used, unless this node did so less than a minute ago.</summary>
    public async Task TouchAsync(Grant grant, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (_lastWritten.TryGetValue(grant.Id, out var last) && now - last < UseResolution) return;
        _lastWritten[grant.Id] = now;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MediaDbContext>();
            var before = now - UseResolution;
            await db.ApiKeys.Where(k => k.Id == grant.Id && (k.LastUsedAt == null || k.LastUsedAt < before))
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Only the time of last use is behind; the request itself is not refused for it. The next minute tries again.
            _lastWritten.TryRemove(grant.Id, out _);
            LogTouchFailed(ex, grant.Id);
        }
    }

    public void Dispose() => _grants.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The last use of API key {KeyId} could not be recorded")]
    private partial void LogTouchFailed(Exception exception, long keyId);
}
