using System.CommandLine;
using System.Text;
using MediaLibrary.Auth;

namespace MediaLibrary.Operations;

/// <summary><c>users add NAME --role ROLE</c>, <c>users list</c>, <c>users set-password NAME</c>.</summary>
public static class UsersCli
{
    public const string PasswordVariable = "MEDIALIB_USER_PASSWORD";

    public static Command Command(VerbServices services, TextReader input)
    {
        var addName = new Argument<string>("name") { Description = "The user name to sign in with." };
        var role = new Option<string>("--role")
        {
            Description = "What the user may do: admin (everything), editor (upload, edit, replace, delete), viewer (read when reads need a token).",
            HelpName = "admin|editor|viewer",
            Required = true,
        };
        var add = new Command("add", $"Add a user. The password comes from {PasswordVariable} or standard input.") { addName, role };
        add.SetAction((result, ct) => RunAsync(services, result, ct, async (accounts, output) =>
        {
            var (name, r) = (result.GetRequiredValue(addName), result.GetRequiredValue(role));
            await accounts.AddAsync(name, r, ReadPassword(input, output), ct);
            await output.WriteLineAsync($"Added user '{name}' with role {r}.");
        }));

        var list = new Command("list", "List the users: name, role and when each was added, one per line, tab-separated.");
        list.SetAction((result, ct) => RunAsync(services, result, ct, async (accounts, output) =>
        {
            foreach (var user in await accounts.ListAsync(ct))
                await output.WriteLineAsync($"{user.UserName}\t{user.Role}\t{user.CreatedAt:yyyy-MM-ddTHH:mm:ssZ}");
        }));

        var who = new Argument<string>("name") { Description = "The user whose password changes." };
        var setPassword = new Command("set-password", $"Change a user's password, read from {PasswordVariable} or standard input.") { who };
        setPassword.SetAction((result, ct) => RunAsync(services, result, ct, async (accounts, output) =>
        {
            var name = result.GetRequiredValue(who);
            await accounts.SetPasswordAsync(name, ReadPassword(input, output), ct);
            await output.WriteLineAsync($"Changed the password of '{name}'.");
        }));

        return new Command("users", "Manage who may sign in, against the service's database.") { add, list, setPassword };
    }

    private static async Task<int> RunAsync(VerbServices services, ParseResult result, CancellationToken ct, Func<UserAccounts, TextWriter, Task> run)
    {
        await using var scope = (await services(ct)).CreateAsyncScope();
        try
        {
            await run(scope.ServiceProvider.GetRequiredService<UserAccounts>(), result.InvocationConfiguration.Output);
            return ExitCodes.Ok;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            await result.InvocationConfiguration.Error.WriteLineAsync("error: " + ex.Message);
            return ExitCodes.Failed;
        }
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
