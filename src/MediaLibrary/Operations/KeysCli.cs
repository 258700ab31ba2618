using System.CommandLine;
using System.Globalization;
using MediaLibrary.Auth;

namespace MediaLibrary.Operations;

/// <summary><c>keys create NAME --scope SCOPE… [--expires DATE]</c>, <c>keys list</c>, <c>keys revoke ID</c>.</summary>
public static class KeysCli
{
    public static Command Command(VerbServices services)
    {
        var name = new Argument<string>("name") { Description = "What the key is for, such as \"Website backend\"." };
        var scopes = new Option<string[]>("--scope")
        {
            Description = "What the key may do (repeat for several): read, write (an editor's rights), admin, references (read, and record where media are used).",
            HelpName = string.Join('|', ApiKeyScopes.All),
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var expires = new Option<string?>("--expires")
        {
            Description = "When the key stops working: an ISO 8601 date or time (UTC unless it says otherwise). Without it, until revoked.",
            HelpName = "DATE",
        };
        var create = new Command("create", "Create an API key and print it once: it is stored hashed and cannot be shown again.") { name, scopes, expires };
        create.SetAction((result, ct) => RunAsync(services, result, ct, async (keys, output) =>
        {
            DateTime? at = null;
            if (result.GetValue(expires) is { } text)
            {
                if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
                    throw new ArgumentException($"'{text}' is not a date or time (ISO 8601, such as 2027-06-30 or 2027-06-30T12:00:00Z).");
                at = DateTime.SpecifyKind(parsed, DateTimeKind.Utc);
            }
            var requested = result.GetRequiredValue(scopes).SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            var (row, key) = await keys.CreateAsync(result.GetRequiredValue(name), requested, at, "system", ct);
            await output.WriteLineAsync($"Created API key {row.Id} ({row.Prefix}, {row.Name}) with scopes {row.Scopes.Replace(' ', ',')}"
                + (row.ExpiresAt is { } e ? $", expiring {e:yyyy-MM-ddTHH:mm:ssZ}" : "") + ". The key, shown this once:");
            await output.WriteLineAsync(key);
        }));

        var list = new Command("list", "List the API keys: id, prefix, name, scopes, created, expires, last used, revoked; one per line, tab-separated.");
        list.SetAction((result, ct) => RunAsync(services, result, ct, async (keys, output) =>
        {
            static string When(DateTime? at) => at is { } t ? t.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : "-";
            foreach (var k in await keys.ListAsync(ct))
                await output.WriteLineAsync($"{k.Id}\t{k.Prefix}\t{k.Name}\t{k.Scopes.Replace(' ', ',')}\t{When(k.CreatedAt)}\t{When(k.ExpiresAt)}\t{When(k.LastUsedAt)}\t{When(k.RevokedAt)}");
        }));

        var id = new Argument<long>("id") { Description = "The key's id, as keys list shows it." };
        var revoke = new Command("revoke", "Revoke an API key for good.") { id };
        revoke.SetAction((result, ct) => RunAsync(services, result, ct, async (keys, output) =>
        {
            var which = result.GetRequiredValue(id);
            var row = await keys.RevokeAsync(which, "system", ct) ?? throw new ArgumentException($"There is no API key {which}.");
            await output.WriteLineAsync($"Revoked API key {row.Id} ({row.Prefix}, {row.Name}).");
        }));

        return new Command("keys", "Manage API keys for website backends, against the service's database. A running service refuses a revoked key " +
            $"within {ApiKeyCheck.RememberFor.TotalSeconds:0} seconds.") { create, list, revoke };
    }

    private static async Task<int> RunAsync(VerbServices services, ParseResult result, CancellationToken ct, Func<ApiKeys, TextWriter, Task> run)
    {
        await using var scope = (await services(ct)).CreateAsyncScope();
        try
        {
            await run(scope.ServiceProvider.GetRequiredService<ApiKeys>(), result.InvocationConfiguration.Output);
            return ExitCodes.Ok;
        }
        catch (ArgumentException ex)
        {
            await result.InvocationConfiguration.Error.WriteLineAsync("error: " + ex.Message);
            return ExitCodes.Failed;
        }
    }
}
