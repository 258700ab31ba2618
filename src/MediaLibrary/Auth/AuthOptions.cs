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

    public const int MinPasswordLength = 8;
}
