namespace MediaLibrary.Auth;

public sealed class User
{
    public long Id { get; set; }
    public required string UserName { get; set; }
    public required string PasswordHash { get; set; }
    public required string Role { get; set; }
    public DateTime CreatedAt { get; set; }
}
