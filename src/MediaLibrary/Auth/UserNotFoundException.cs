namespace MediaLibrary.Auth;

/// <summary>No user has that name (the CLI says so; the API answers 404).</summary>
public sealed class UserNotFoundException(string userName) : InvalidOperationException($"No user named '{userName}'.")
{
    public string UserName { get; } = userName;
}
