namespace MediaLibrary.Auth;

public sealed class User
{
    public long Id { get; set; }
    public required string UserName { get; set; }
    public required string PasswordHash { get; set; }
    public required string Role { get; set; }
    public DateTime CreatedAt { get; set; }
}

public static class Roles
{
    public const string Admin = "admin";
    public const string Editor = "editor";
    public const string Viewer = "viewer";

    public static readonly string[] All = [Admin, Editor, Viewer];

    public static bool IsValid(string role) => All.Contains(role, StringComparer.Ordinal);
}
