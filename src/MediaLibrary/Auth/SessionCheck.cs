using MediaLibrary.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace MediaLibrary.Auth;

/// <summary>
/// Whether a token's sign-in still stands. Each node remembers an answer for <see cref="RememberFor"/>, so a
/// revocation made on another node takes effect here within that time; on the node that revokes, at once.
/// </summary>
public sealed class SessionCheck(IServiceScopeFactory scopes, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan RememberFor = TimeSpan.FromSeconds(5);

    /// <summary>Set on a request whose token could not be checked (the database failed): answered 503, not 401.</summary>
    public const string UnavailableItem = "medialibrary.session-check-failed";

    // Its own cache: the answers are tiny and must never push file lookups out of the shared one.
    private readonly MemoryCache _answers = new(new MemoryCacheOptions { SizeLimit = 100_000, Clock = new Clock(time) });

    public async ValueTask<bool> IsActiveAsync(string sessionId, CancellationToken ct)
    {
        if (_answers.TryGetValue(sessionId, out bool active)) return active;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MediaDbContext>();
            active = await db.Sessions.AnyAsync(s => s.Id == sessionId
                && db.Users.Any(u => u.Id == s.UserId && u.SecurityStamp == s.SecurityStamp), ct);
        }
        _answers.Set(sessionId, active, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = RememberFor });
        return active;
    }

    /// <summary>This node stops honouring these sessions now (the others within <see cref="RememberFor"/>).</summary>
    public void Forget(IEnumerable<string> sessionIds)
    {
        foreach (var id in sessionIds) _answers.Remove(id);
    }

    public void Dispose() => _answers.Dispose();


    internal sealed class Clock(TimeProvider time) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }

}
