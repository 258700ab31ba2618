namespace MediaLibrary.Auth;

/// <summary>
/// One sign-in: the token carries its id (jti) and is honoured only while this row exists. Signing out deletes the
/// row; a deletion, a new role, a new password or "revoke" deletes all of the user's rows.
/// </summary>
public sealed class Session
{
    public required string Id { get; set; }
    public long UserId { get; set; }

    /// <summary>The user's <see cref="User.SecurityStamp"/> when the token was issued.</summary>
    public required string SecurityStamp { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
}
