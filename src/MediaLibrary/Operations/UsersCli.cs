using System.CommandLine;
using System.Text;
using MediaLibrary.Auth;

namespace MediaLibrary.Operations;

/// <summary><c>users add NAME --role ROLE</c>, <c>users list</c>, <c>users set-password NAME</c>, <c>users set-role NAME ROLE</c>,
/// <c>users delete NAME</c>, <c>users revoke NAME</c>.</summary>
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

        var list = new Command("list", "List the users: name, role, when each was added, and \"single sign-on\" for a user it made; one per line, tab-separated.");
        list.SetAction((result, ct) => RunAsync(services, result, ct, async (accounts, output) =>
        {
            foreach (var user in await accounts.ListAsync(ct))
                await output.WriteLineAsync($"{user.UserName}\t{user.Role}\t{user.CreatedAt:yyyy-MM-ddTHH:mm:ssZ}{(user.ExternalId is null ? "" : "\tsingle sign-on")}");
        }));

        var who = new Argument<string>("name") { Description = "The user whose password changes." };
        var setPassword = new Command("set-password", $"Change a user's password, read from {PasswordVariable} or standard input.") { who };
        setPassword.SetAction((result, ct) => RunAsync(services, result, ct, async (accounts, output) =>
        {
            var name = result.GetRequiredValue(who);
            await accounts.SetPasswordAsync(name, ReadPassword(input, output), ct);
            await output.WriteLineAsync($"Changed the password of '{name}'; the user's earlier sign-ins have ended.");
        }));

        var whoseRole = new Argument<string>("name") { Description = "The user whose role changes." };
        var newRole = new Argument<string>("role") { Description = "admin, editor or viewer.", HelpName = "admin|editor|viewer" };
        var setRole = new Command("set-role", "Change a user's role. The user's sign-ins end: tokens with the old role stop working.") { whoseRole, newRole };
        setRole.SetAction((result, ct) => RunAsync(services, result, ct, async (accounts, output) =>
        {
            var (name, r) = (result.GetRequiredValue(whoseRole), result.GetRequiredValue(newRole));
            await accounts.SetRoleAsync(name, r, ct);
            await output.WriteLineAsync($"'{name}' now has role {r}; the user's earlier sign-ins have ended.");
        }));

        var whoGoes = new Argument<string>("name") { Description = "The user to delete." };
        var delete = new Command("delete", "Delete a user; the user's tokens stop working. The last admin cannot be deleted.") { whoGoes };
        delete.SetAction((result, ct) => RunAsync(services, result, ct, async (accounts, output) =>
        {
            var name = result.GetRequiredValue(whoGoes);
            await accounts.DeleteAsync(name, ct);
            await output.WriteLineAsync($"Deleted user '{name}'.");
        }));

        var whoseSessions = new Argument<string>("name") { Description = "The user to sign out everywhere." };
        var revoke = new Command("revoke", "Sign a user out everywhere: every token issued to the user so far stops working.") { whoseSessions };
        revoke.SetAction((result, ct) => RunAsync(services, result, ct, async (accounts, output) =>
        {
            var name = result.GetRequiredValue(whoseSessions);
            var ended = await accounts.RevokeAsync(name, ct);
            await output.WriteLineAsync($"Signed '{name}' out everywhere ({ended} sign-ins ended).");
        }));

        return new Command("users", "Manage who may sign in, against the service's database. A running service stops honouring " +
            $"a changed, deleted or revoked user's tokens within {SessionCheck.RememberFor.TotalSeconds:0} seconds.")
            { add, list, setPassword, setRole, delete, revoke };
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
