using System.Security.Cryptography;
using MediaLibrary.Data;
using MediaLibrary.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Auth;

/// <summary>Users and their passwords (PBKDF2 via ASP.NET Core Identity's hasher).</summary>
public sealed partial class UserAccounts(MediaDbContext db, IPasswordHasher<User> hasher, SessionCheck sessions, TimeProvider time, ILogger<UserAccounts> logger)
{
    // Verifying against this when the user does not exist keeps both answers equally slow.
    /// <summary>Verified for an unknown user name, at the same cost as a real hash: the answer's time tells nothing.</summary>
    private static readonly Lazy<string> DummyHash = new(() =>
        new PasswordHasher<User>(Options.Create(new PasswordHasherOptions { IterationCount = AuthSetup.PasswordIterations })).HashPassword(null!, "not-a-real-password"));

    public async Task<User?> AuthenticateAsync(string userName, string password, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.UserName == userName, ct);
        // A user made by single sign-on has no password (until an admin sets one): no password opens it.
        if (user is null || user.PasswordHash.Length == 0)
        {
            hasher.VerifyHashedPassword(null!, DummyHash.Value, password);
            LogSignInFailed(LogText.Safe(userName));
            return null;
        }
        var result = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed)
        {
            LogSignInFailed(LogText.Safe(userName));
            return null;
        }
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
            await db.SaveChangesAsync(ct);
        }
        LogSignedIn(LogText.Safe(userName), user.Role);
        return user;
    }

    public async Task<User> AddAsync(string userName, string role, string password, CancellationToken ct)
    {
        ValidateName(userName);
        ValidateRole(role);
        ValidatePassword(password);
        if (await db.Users.AnyAsync(u => u.UserName == userName, ct)) throw new InvalidOperationException($"User '{userName}' already exists.");
        var user = new User { UserName = userName, Role = role, PasswordHash = "", CreatedAt = time.GetUtcNow().UtcDateTime };
        user.PasswordHash = hasher.HashPassword(user, password);
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        LogUserAdded(LogText.Safe(userName), role);
        return user;
    }

    /// <summary>A new password; every sign-in of the user ends (whoever knew the old one is out).</summary>
    public async Task SetPasswordAsync(string userName, string password, CancellationToken ct)
    {
        ValidatePassword(password);
        var user = await FindAsync(userName, ct);
        user.PasswordHash = hasher.HashPassword(user, password);
        var ended = await SaveAndEndSessionsAsync(user, ct);
        LogPasswordChanged(LogText.Safe(userName), ended.Count);
    }

    /// <summary>A new role; every sign-in of the user ends, so no token carries the old role.</summary>
    public async Task<User> SetRoleAsync(string userName, string role, CancellationToken ct)
    {
        ValidateRole(role);
        var user = await FindAsync(userName, ct);
        if (user.Role == role) return user;
        if (user.Role == Roles.Admin) await EnsureAnotherAdminAsync(user, ct);
        var from = user.Role;
        user.Role = role;
        var ended = await SaveAndEndSessionsAsync(user, ct);
        LogRoleChanged(LogText.Safe(userName), from, role, ended.Count);
        return user;
    }

    /// <summary>The user and every sign-in of theirs; the last admin stays.</summary>
    public async Task DeleteAsync(string userName, CancellationToken ct)
    {
        var user = await FindAsync(userName, ct);
        if (user.Role == Roles.Admin) await EnsureAnotherAdminAsync(user, ct);
        db.Users.Remove(user);
        var ended = await SaveAndEndSessionsAsync(user, ct);
        LogUserDeleted(LogText.Safe(userName), ended.Count);
    }

    /// <summary>Signs the user out everywhere: every token issued so far stops working. Returns how many ended.</summary>
    public async Task<int> RevokeAsync(string userName, CancellationToken ct)
    {
        var user = await FindAsync(userName, ct);
        var ended = await SaveAndEndSessionsAsync(user, ct);
        LogSessionsRevoked(LogText.Safe(userName), ended.Count);
        return ended.Count;
    }

    /// <summary>Ends one sign-in (the token that asks): signing out.</summary>
    public async Task SignOutAsync(string sessionId, CancellationToken ct)
    {
        await db.Sessions.Where(s => s.Id == sessionId).ExecuteDeleteAsync(ct);
        sessions.Forget([sessionId]);
    }

    /// <summary>
    /// Saves the change to the user (a new stamp with it) and ends the user's sessions in one transaction; this node
    /// forgets them at once. Returns the ended sessions' ids.
    /// </summary>
    private async Task<List<string>> SaveAndEndSessionsAsync(User user, CancellationToken ct)
    {
        user.SecurityStamp = User.NewStamp();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var ids = await db.Sessions.Where(s => s.UserId == user.Id).Select(s => s.Id).ToListAsync(ct);
        if (ids.Count > 0) await db.Sessions.Where(s => s.UserId == user.Id).ExecuteDeleteAsync(ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        sessions.Forget(ids);
        return ids;
    }

    private async Task<User> FindAsync(string userName, CancellationToken ct) =>
        await db.Users.FirstOrDefaultAsync(u => u.UserName == userName, ct)
        ?? throw new UserNotFoundException(userName);

    private async Task EnsureAnotherAdminAsync(User user, CancellationToken ct)
    {
        if (!await db.Users.AnyAsync(u => u.Role == Roles.Admin && u.Id != user.Id, ct))
            throw new InvalidOperationException($"'{user.UserName}' is the last admin: make another user admin first.");
    }

    public Task<List<User>> ListAsync(CancellationToken ct) => db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(ct);

    /// <summary>
    /// First start: creates the admin when there is no user yet. Returns the generated password when one had to be
    /// made up (the caller prints it once), otherwise null.
    /// </summary>
    public async Task<string?> EnsureAdminAsync(AuthOptions options, CancellationToken ct)
    {
        if (await db.Users.AnyAsync(ct)) return null;
        var generated = string.IsNullOrEmpty(options.AdminPassword) ? GeneratePassword() : null;
        try
        {
            await AddAsync(options.AdminUser, Roles.Admin, options.AdminPassword ?? generated!, ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (await db.Users.AnyAsync(ct)) return null; // another node created the first user at the same moment
            throw;
        }
        return generated;
    }

    public static string GeneratePassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');

    public static void ValidatePassword(string password)
    {
        if (PasswordProblem(password) is { } problem) throw new ArgumentException(problem);
    }

    public static string? PasswordProblem(string password) => password.Length < AuthOptions.MinPasswordLength
        ? $"The password must be at least {AuthOptions.MinPasswordLength} characters long." : null;

    public static string? NameProblem(string userName) =>
        userName.Length is 0 or > 100 || userName.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
            ? "A user name is 1 to 100 characters without spaces or control characters." : null;

    public static string? RoleProblem(string role) =>
        Roles.IsValid(role) ? null : $"Unknown role '{role}'. Roles: {string.Join(", ", Roles.All)}.";

    private static void ValidateName(string userName)
    {
        if (NameProblem(userName) is { } problem) throw new ArgumentException(problem);
    }

    private static void ValidateRole(string role)
    {
        if (RoleProblem(role) is { } problem) throw new ArgumentException(problem);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserName} signed in with role {Role}")]
    private partial void LogSignedIn(string userName, string role);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in failed for user {UserName}")]
    private partial void LogSignInFailed(string userName);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserName} added with role {Role}")]
    private partial void LogUserAdded(string userName, string role);

    [LoggerMessage(Level = LogLevel.Information, Message = "Password changed for user {UserName}; {Sessions} sign-ins ended")]
    private partial void LogPasswordChanged(string userName, int sessions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Role of user {UserName} changed from {FromRole} to {Role}; {Sessions} sign-ins ended")]
    private partial void LogRoleChanged(string userName, string fromRole, string role, int sessions);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserName} deleted; {Sessions} sign-ins ended")]
    private partial void LogUserDeleted(string userName, int sessions);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserName} signed out everywhere; {Sessions} sign-ins ended")]
    private partial void LogSessionsRevoked(string userName, int sessions);
}
