using System.Security.Cryptography;
using MediaLibrary.Data;
using MediaLibrary.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Auth;

/// <summary>Users and their passwords (PBKDF2 via ASP.NET Core Identity's hasher).</summary>
public sealed partial class UserAccounts(MediaDbContext db, IPasswordHasher<User> hasher, TimeProvider time, ILogger<UserAccounts> logger)
{
    // Verifying against this when the user does not exist keeps both answers equally slow.
    /// <summary>Verified for an unknown user name, at the same cost as a real hash: the answer's time tells nothing.</summary>
    private static readonly Lazy<string> DummyHash = new(() =>
        new PasswordHasher<User>(Options.Create(new PasswordHasherOptions { IterationCount = AuthSetup.PasswordIterations })).HashPassword(null!, "not-a-real-password"));

    public async Task<User?> AuthenticateAsync(string userName, string password, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.UserName == userName, ct);
        if (user is null)
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
        LogSignedIn(userName, user.Role);
        return user;
    }

    public async Task<User> AddAsync(string userName, string role, string password, CancellationToken ct)
    {
        ValidateName(userName);
        if (!Roles.IsValid(role)) throw new ArgumentException($"Unknown role '{role}'. Roles: {string.Join(", ", Roles.All)}.");
        ValidatePassword(password);
        if (await db.Users.AnyAsync(u => u.UserName == userName, ct)) throw new InvalidOperationException($"User '{userName}' already exists.");
        var user = new User { UserName = userName, Role = role, PasswordHash = "", CreatedAt = time.GetUtcNow().UtcDateTime };
        user.PasswordHash = hasher.HashPassword(user, password);
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        LogUserAdded(userName, role);
        return user;
    }

    public async Task SetPasswordAsync(string userName, string password, CancellationToken ct)
    {
        ValidatePassword(password);
        var user = await db.Users.FirstOrDefaultAsync(u => u.UserName == userName, ct)
            ?? throw new InvalidOperationException($"No user named '{userName}'.");
        user.PasswordHash = hasher.HashPassword(user, password);
        await db.SaveChangesAsync(ct);
        LogPasswordChanged(userName);
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
        if (password.Length < AuthOptions.MinPasswordLength)
            throw new ArgumentException($"The password must be at least {AuthOptions.MinPasswordLength} characters long.");
    }

    private static void ValidateName(string userName)
    {
        if (userName.Length is 0 or > 100 || userName.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
            throw new ArgumentException("A user name is 1 to 100 characters without spaces or control characters.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserName} signed in with role {Role}")]
    private partial void LogSignedIn(string userName, string role);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in failed for user {UserName}")]
    private partial void LogSignInFailed(string userName);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserName} added with role {Role}")]
    private partial void LogUserAdded(string userName, string role);

    [LoggerMessage(Level = LogLevel.Information, Message = "Password changed for user {UserName}")]
    private partial void LogPasswordChanged(string userName);
}
