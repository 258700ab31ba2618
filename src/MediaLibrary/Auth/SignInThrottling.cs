using MediaLibrary.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Auth;

/// <summary>
/// The brake per user name, beside the one per client address: after <see cref="AuthOptions.SignInLockAfter"/>
/// failures in a row the name is locked, first for <see cref="AuthOptions.SignInLockSeconds"/>, doubling with each
/// further failure up to <see cref="MaxLock"/>. Kept in the database, so every node applies the same count. A
/// success clears it; a name without a failure for a day is forgotten. Unknown names are counted like known ones,
/// so a lock tells nobody whether the name exists.
/// </summary>
public sealed class SignInThrottling(MediaDbContext db, IOptions<AuthOptions> options, TimeProvider time)
{
    public static readonly TimeSpan MaxLock = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromDays(1);

    /// <summary>How long the name stays locked, or null when it may try now.</summary>
    public async Task<TimeSpan?> LockedForAsync(string userName, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var until = await db.SignInThrottles.AsNoTracking().Where(t => t.UserName == userName)
            .Select(t => t.LockedUntil).FirstOrDefaultAsync(ct);
        return until > now ? until.Value - now : null;
    }

    /// <summary>Counts a failure; returns the lock it starts, if any.</summary>
    public async Task<TimeSpan?> FailedAsync(string userName, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await db.SignInThrottles.Where(t => t.LastFailureAt < now - ForgetAfter).ExecuteDeleteAsync(ct);
        if (await CountAsync(userName, now, ct) == 0)
        {
            try
            {
                db.SignInThrottles.Add(new SignInThrottle { UserName = userName, Failures = 1, LastFailureAt = now });
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another request (or node) counted this name's first failure at the same moment: count on top of it.
                db.ChangeTracker.Clear();
                await CountAsync(userName, now, ct);
            }
        }
        var failures = await db.SignInThrottles.AsNoTracking().Where(t => t.UserName == userName).Select(t => t.Failures).FirstAsync(ct);
        var over = failures - options.Value.SignInLockAfter;
        if (over < 0) return null;
        var lockFor = TimeSpan.FromSeconds(Math.Min(MaxLock.TotalSeconds, options.Value.SignInLockSeconds * Math.Pow(2, Math.Min(over, 20))));
        var until = now + lockFor;
        await db.SignInThrottles.Where(t => t.UserName == userName)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LockedUntil, until), ct);
        return lockFor;
    }

    public Task SucceededAsync(string userName, CancellationToken ct) =>
        db.SignInThrottles.Where(t => t.UserName == userName).ExecuteDeleteAsync(ct);

    private Task<int> CountAsync(string userName, DateTime now, CancellationToken ct) =>
        db.SignInThrottles.Where(t => t.UserName == userName).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.Failures, t => t.Failures + 1)
            .SetProperty(t => t.LastFailureAt, now), ct);
}
