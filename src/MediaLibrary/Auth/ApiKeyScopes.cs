namespace MediaLibrary.Auth;

/// <summary>
/// What a key may do. read: what any signed-in caller may read. write: what an editor may do. admin: everything an
/// admin may. references: read, and record or remove where media are used (a website's build or backend), nothing else.
/// </summary>
public static class ApiKeyScopes
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Admin = "admin";
    public const string References = "references";

    /// <summary>The claim a key's principal carries once per scope.</summary>
    public const string Claim = "scope";

    public static readonly string[] All = [Read, Write, Admin, References];

    /// <summary>The role a key acts with: its widest scope's.</summary>
    public static string? RoleOf(IReadOnlyCollection<string> scopes) =>
        scopes.Contains(Admin) ? Roles.Admin : scopes.Contains(Write) ? Roles.Editor : scopes.Contains(Read) ? Roles.Viewer : null;
}
