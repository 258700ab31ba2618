namespace MediaLibrary.Auth;

public static class Policies
{
    public const string Read = "read";
    public const string Edit = "edit";
    public const string Admin = "admin";

    /// <summary>Recording where media are used: editors, admins, and API keys with the references scope.</summary>
    public const string References = "references";
}
