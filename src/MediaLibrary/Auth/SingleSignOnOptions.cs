using System.ComponentModel.DataAnnotations;

namespace MediaLibrary.Auth;

/// <summary>
/// Single sign-on with an OpenID Connect provider (Entra ID, Okta, Keycloak, Google Workspace, Authentik…): on when
/// MEDIALIB_OIDC_AUTHORITY is set. Users are matched by the provider's subject; their role comes from a claim (groups
/// by default) at every sign-in.
/// </summary>
public sealed class SingleSignOnOptions : IValidatableObject
{
    /// <summary>The provider's issuer URL; its /.well-known/openid-configuration says the rest.</summary>
    [ConfigurationKeyName("MEDIALIB_OIDC_AUTHORITY")]
    public string? Authority { get; set; }

    [ConfigurationKeyName("MEDIALIB_OIDC_CLIENT_ID")]
    public string? ClientId { get; set; }

    [ConfigurationKeyName("MEDIALIB_OIDC_CLIENT_SECRET")]
    public string? ClientSecret { get; set; }

    /// <summary>What the page's button says: "Sign in with {Name}".</summary>
    [ConfigurationKeyName("MEDIALIB_OIDC_NAME")]
    [StringLength(60, MinimumLength = 1, ErrorMessage = "MEDIALIB_OIDC_NAME is 1 to 60 characters.")]
    public string Name { get; set; } = "single sign-on";

    /// <summary>Space-separated scopes asked for; openid is always among them.</summary>
    [ConfigurationKeyName("MEDIALIB_OIDC_SCOPES")]
    public string Scopes { get; set; } = "openid profile email";

    /// <summary>The claim whose values decide the role (from the ID token or the user info endpoint).</summary>
    [ConfigurationKeyName("MEDIALIB_OIDC_ROLE_CLAIM")]
    [StringLength(100, MinimumLength = 1, ErrorMessage = "MEDIALIB_OIDC_ROLE_CLAIM is 1 to 100 characters.")]
    public string RoleClaim { get; set; } = "groups";

    /// <summary>Comma-separated values of the role claim that make a user admin.</summary>
    [ConfigurationKeyName("MEDIALIB_OIDC_ADMIN_VALUES")]
    public string? AdminValues { get; set; }

    [ConfigurationKeyName("MEDIALIB_OIDC_EDITOR_VALUES")]
    public string? EditorValues { get; set; }

    [ConfigurationKeyName("MEDIALIB_OIDC_VIEWER_VALUES")]
    public string? ViewerValues { get; set; }

    /// <summary>The role of a user none of whose values is listed; empty: such a user is refused.</summary>
    [ConfigurationKeyName("MEDIALIB_OIDC_DEFAULT_ROLE")]
    public string? DefaultRole { get; set; }

    /// <summary>Off only for a provider on loopback in development and tests: metadata and keys come over HTTPS.</summary>
    [ConfigurationKeyName("MEDIALIB_OIDC_REQUIRE_HTTPS")]
    public bool RequireHttps { get; set; } = true;

    /// <summary>User names and passwords (POST /api/auth/token); off leaves single sign-on and API keys.</summary>
    [ConfigurationKeyName("MEDIALIB_PASSWORD_SIGNIN")]
    public bool PasswordSignIn { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);

    public IReadOnlyList<string> ScopeList =>
        ["openid", .. Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(s => s != "openid").Distinct()];

    /// <summary>The role the claim's values give (the highest that any value gives), or null when none and no default.</summary>
    public string? RoleFor(IEnumerable<string> values)
    {
        var given = values.ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (role, listed) in new[] { (Roles.Admin, AdminValues), (Roles.Editor, EditorValues), (Roles.Viewer, ViewerValues) })
            if (Split(listed).Any(given.Contains)) return role;
        return string.IsNullOrWhiteSpace(DefaultRole) ? null : DefaultRole.Trim();
    }

    private static string[] Split(string? list) => (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            if (!PasswordSignIn)
                yield return new ValidationResult("MEDIALIB_PASSWORD_SIGNIN=false needs single sign-on (MEDIALIB_OIDC_AUTHORITY), or nobody could sign in.");
            yield break;
        }
        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority) || (authority.Scheme != Uri.UriSchemeHttps && authority.Scheme != Uri.UriSchemeHttp))
            yield return new ValidationResult("MEDIALIB_OIDC_AUTHORITY must be the provider's absolute http(s) URL.");
        else if (RequireHttps && authority.Scheme != Uri.UriSchemeHttps)
            yield return new ValidationResult("MEDIALIB_OIDC_AUTHORITY must use https (MEDIALIB_OIDC_REQUIRE_HTTPS=false only for a provider in development).");
        if (string.IsNullOrWhiteSpace(ClientId)) yield return new ValidationResult("Single sign-on needs MEDIALIB_OIDC_CLIENT_ID.");
        if (!string.IsNullOrWhiteSpace(DefaultRole) && !Roles.IsValid(DefaultRole.Trim()))
            yield return new ValidationResult($"MEDIALIB_OIDC_DEFAULT_ROLE is one of {string.Join(", ", Roles.All)}, or empty to refuse users without a listed value.");
        if (Split(AdminValues).Length + Split(EditorValues).Length + Split(ViewerValues).Length == 0 && string.IsNullOrWhiteSpace(DefaultRole))
            yield return new ValidationResult("Single sign-on gives nobody a role: set MEDIALIB_OIDC_ADMIN_VALUES, _EDITOR_VALUES, _VIEWER_VALUES or _DEFAULT_ROLE.");
    }
}
