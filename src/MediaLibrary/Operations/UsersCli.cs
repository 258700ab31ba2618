using System.Text;
using MediaLibrary.Auth;

namespace MediaLibrary.Operations;

/// <summary><c>users add NAME --role ROLE</c>, <c>users list</c>, <c>users set-password NAME</c>.</summary>
public static class UsersCli
{
    public const string PasswordVariable = "MEDIALIB_USER_PASSWORD";

    private const string Usage = """
        Usage:
          users add NAME --role admin|editor|viewer   password from MEDIALIB_USER_PASSWORD or standard input
          users list
          users set-password NAME                     password from MEDIALIB_USER_PASSWORD or standard input
        """;

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextReader input, TextWriter output, TextWriter error, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        try
        {
            switch (args)
            {
                case ["list"]:
                    foreach (var user in await accounts.ListAsync(ct))
                        await output.WriteLineAsync($"{user.UserName}\t{user.Role}\t{user.CreatedAt:yyyy-MM-ddTHH:mm:ssZ}");
                    return 0;
                case ["add", var name, "--role", var role]:
                    return await AddAsync(accounts, name, role, input, output, ct);
                case ["add", "--role", var role, var name]:
                    return await AddAsync(accounts, name, role, input, output, ct);
                case ["set-password", var who]:
                    await accounts.SetPasswordAsync(who, ReadPassword(input, output), ct);
                    await output.WriteLineAsync($"Changed the password of '{who}'.");
                    return 0;
                default:
                    await error.WriteLineAsync(Usage);
                    return 2;
            }
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            await error.WriteLineAsync("error: " + ex.Message);
            return 1;
        }
    }

    private static async Task<int> AddAsync(UserAccounts accounts, string name, string role, TextReader input, TextWriter output, CancellationToken ct)
    {
        await accounts.AddAsync(name, role, ReadPassword(input, output), ct);
        await output.WriteLineAsync($"Added user '{name}' with role {role}.");
        return 0;
    }

    private static string ReadPassword(TextReader input, TextWriter output)
    {
        var fromEnv = Environment.GetEnvironmentVariable(PasswordVariable);
        if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
        if (!ReferenceEquals(input, Console.In) || Console.IsInputRedirected)
            return input.ReadLine() ?? throw new ArgumentException("No password on standard input.");

        output.Write("Password: ");
        var sb = new StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace) { if (sb.Length > 0) sb.Length--; }
            else if (!char.IsControl(key.KeyChar)) sb.Append(key.KeyChar);
        }
        output.WriteLine();
        return sb.ToString();
    }
}
