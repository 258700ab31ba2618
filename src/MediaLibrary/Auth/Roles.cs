namespace MediaLibrary.Auth;

public static class Roles
{
    public const string Admin = "admin";
    public const string Editor = "editor";
    public const string Viewer = "viewer";

    public static readonly string[] All = [Admin, Editor, Viewer];

    public static bool IsValid(string role) => All.Contains(role, StringComparer.Ordinal);
}
