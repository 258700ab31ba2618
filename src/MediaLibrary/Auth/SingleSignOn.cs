using System.Security.Claims;
using MediaLibrary.Data;
using MediaLibrary.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace MediaLibrary.Auth;

/// <summary>
/// Turns an account the OpenID provider vouched for into a user of this library: matched by issuer and subject (never
/// by name or e-mail, which another account could claim), created on its first sign-in under a free user name, its
/// role taken from the configured claim every time (a changed role ends the user's other sign-ins, as it does for a
/// local user).
/// </summary>
public sealed partial class SingleSignOn(MediaDbContext db, UserAccounts accounts, IOptions<SingleSignOnOptions> options, TimeProvider time,
    ILogger<SingleSignOn> logger)
{
    public const string Scheme = "oidc";
    public const int MaxExternalIdLength = 400;

    /// <summary>Why a sign-in did not make a user: shown on the page as ?sso-error={code}.</summary>
    public enum Refusal { None, NoRole, NoSubject }

    public async Task<(User? User, Refusal Refusal)> SignInAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        var o = options.Value;
        var sub = principal.FindFirst(JwtRegisteredClaimNames.Sub);
        if (sub is null || sub.Value.Length == 0) return (null, Refusal.NoSubject);
        var externalId = $"{sub.Issuer} {sub.Value}";
        if (externalId.Length > MaxExternalIdLength) return (null, Refusal.NoSubject);

        var role = o.RoleFor(principal.FindAll(o.RoleClaim).Select(c => c.Value));
        if (role is null)
        {
            LogRefused(LogText.Safe(sub.Value), o.RoleClaim);
            return (null, Refusal.NoRole);
        }

        var user = await db.Users.FirstOrDefaultAsync(u => u.ExternalId == externalId, ct);
        if (user is null)
        {
            try
            {
                user = await CreateAsync(externalId, NameFor(principal, sub.Value), role, ct);
                return (user, Refusal.None);
            }
            catch (DbUpdateException)
            {
                // The same account signed in on another node at the same moment: its user is there now.
                db.ChangeTracker.Clear();
                user = await db.Users.FirstOrDefaultAsync(u => u.ExternalId == externalId, ct);
                if (user is null) throw;
            }
        }
        if (user.Role != role)
        {
            try
            {
                user = await accounts.SetRoleAsync(user.UserName, role, ct);
            }
            catch (InvalidOperationException)
            {
                // The provider would demote the last admin: the library keeps one, and says so.
                LogLastAdminKept(LogText.Safe(user.UserName), role);
            }
        }
        LogSignedIn(LogText.Safe(user.UserName), LogText.Safe(sub.Value), user.Role);
        return (user, Refusal.None);
    }

    private async Task<User> CreateAsync(string externalId, string wanted, string role, CancellationToken ct)
    {
        // A local "admin" and a provider's "admin" are different people: the newcomer gets "admin-2".
        var taken = await db.Users.Where(u => u.UserName.StartsWith(wanted)).Select(u => u.UserName).ToListAsync(ct);
        var name = wanted;
        for (var n = 2; taken.Contains(name, StringComparer.Ordinal); n++) name = $"{wanted}-{n}";
        var user = new User
        {
            UserName = name, Role = role, PasswordHash = "", ExternalId = externalId, CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        LogCreated(LogText.Safe(name), role);
        return user;
    }

    /// <summary>preferred_username, else e-mail, else name, else the subject; without spaces or control characters.</summary>
    public static string NameFor(ClaimsPrincipal principal, string subject)
    {
        var raw = new[] { "preferred_username", "email", "name" }.Select(t => principal.FindFirst(t)?.Value)
            .FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) ?? subject;
        var cleaned = new string(raw.Trim().Select(c => char.IsControl(c) || char.IsWhiteSpace(c) ? '-' : c).ToArray());
        // Room for a "-NN" suffix within the 100 characters a user name has.
        return cleaned.Length > 90 ? cleaned[..90] : cleaned.Length == 0 ? "user" : cleaned;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserName} (subject {Subject}) signed in through single sign-on with role {Role}")]
    private partial void LogSignedIn(string userName, string subject, string role);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserName} added through single sign-on with role {Role}")]
    private partial void LogCreated(string userName, string role);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Single sign-on refused subject {Subject}: none of its {Claim} values is given a role, and there is no default role")]
    private partial void LogRefused(string subject, string claim);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Single sign-on would make {UserName} {Role}, but they are the last admin: they stay admin")]
    private partial void LogLastAdminKept(string userName, string role);
}
