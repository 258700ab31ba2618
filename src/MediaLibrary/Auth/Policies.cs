namespace MediaLibrary.Auth;

public static class Policies
{
    public const string Read = "read";
    public const string Edit = "edit";
    public const string Admin = "admin";
}
