namespace MediaLibrary.Auth;

/// <summary>Failed sign-ins in a row for one user name (known or not, so the answer tells nothing), and its lock.</summary>
public sealed class SignInThrottle
{
    public required string UserName { get; set; }
    public int Failures { get; set; }
    public DateTime LastFailureAt { get; set; }
    public DateTime? LockedUntil { get; set; }
}
