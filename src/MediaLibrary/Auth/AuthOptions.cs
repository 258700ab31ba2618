using System.ComponentModel.DataAnnotations;

namespace MediaLibrary.Auth;

public sealed class AuthOptions
{
    [ConfigurationKeyName("MEDIALIB_ADMIN_USER")]
    [Required(ErrorMessage = "MEDIALIB_ADMIN_USER must not be empty."), StringLength(100, MinimumLength = 1, ErrorMessage = "MEDIALIB_ADMIN_USER is 1 to 100 characters.")]
    public string AdminUser { get; set; } = "admin";

    [ConfigurationKeyName("MEDIALIB_ADMIN_PASSWORD")]
    public string? AdminPassword { get; set; }

    /// <summary>At least 32 bytes of UTF-8; empty: a random key generated once and kept in the data folder.</summary>
    [ConfigurationKeyName("MEDIALIB_JWT_SIGNING_KEY")]
    public string? JwtSigningKey { get; set; }

    [ConfigurationKeyName("MEDIALIB_TOKEN_LIFETIME_MINUTES")]
    [Range(1, 7 * 24 * 60, ErrorMessage = "MEDIALIB_TOKEN_LIFETIME_MINUTES must be between 1 and 10080 (a week).")]
    public int TokenLifetimeMinutes { get; set; } = 60;

    /// <summary>Token requests per minute from one client address (password guessing brake).</summary>
    [ConfigurationKeyName("MEDIALIB_TOKEN_RATE_LIMIT")]
    [Range(1, 100_000, ErrorMessage = "MEDIALIB_TOKEN_RATE_LIMIT must be between 1 and 100000.")]
    public int TokenRequestsPerMinute { get; set; } = 10;

    /// <summary>Failed sign-ins in a row for one user name before it is locked (known names and unknown alike).</summary>
    [ConfigurationKeyName("MEDIALIB_SIGNIN_LOCK_AFTER")]
    [Range(1, 1000, ErrorMessage = "MEDIALIB_SIGNIN_LOCK_AFTER must be between 1 and 1000.")]
    public int SignInLockAfter { get; set; } = 5;

    /// <summary>The first lock, in seconds; each further failure doubles it, up to 15 minutes.</summary>
    [ConfigurationKeyName("MEDIALIB_SIGNIN_LOCK_SECONDS")]
    [Range(1, 900, ErrorMessage = "MEDIALIB_SIGNIN_LOCK_SECONDS must be between 1 and 900.")]
    public int SignInLockSeconds { get; set; } = 30;

    public const int MinPasswordLength = 8;
}
