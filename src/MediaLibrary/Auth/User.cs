namespace MediaLibrary.Auth;

public sealed class User
{
    public long Id { get; set; }
    public required string UserName { get; set; }
    /// <summary>Empty for a user who signs in only through single sign-on.</summary>
    public required string PasswordHash { get; set; }
    public required string Role { get; set; }

    /// <summary>
    /// Changes with the password, the role and "revoke": a session is honoured only while it carries the user's current
    /// stamp, so not even a sign-in that was checking the old password as the change committed keeps a token.
    /// </summary>
    public string SecurityStamp { get; set; } = NewStamp();

    /// <summary>"{issuer} {subject}" of the OpenID provider's account this user is; null for a local user.</summary>
    public string? ExternalId { get; set; }

    public static string NewStamp() => Guid.NewGuid().ToString("n");
    public DateTime CreatedAt { get; set; }
}
