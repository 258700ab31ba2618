using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace MediaLibrary.Operations;

/// <summary>
/// The executable's command line (System.CommandLine): without a verb it runs the service; the verbs are the operators'
/// tools against the same configuration and database. Every verb and option has --help; an unknown verb or option is
/// a usage error (exit 2) that shows the help of the command it was given to.
/// </summary>
public static class CommandLineApp
{
    /// <param name="serve">Runs the service; it reads --urls and the --KEY=value settings from the arguments itself.</param>
    /// <param name="services">Builds the services a verb needs, once its arguments parsed.</param>
    /// <param name="input">Where passwords are read from when they are not in the environment.</param>
    public static RootCommand Create(Func<CancellationToken, Task<int>> serve, VerbServices services, TextReader input)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen, such as http://0.0.0.0:5080 (default http://localhost:5080, or ASPNETCORE_URLS).",
            HelpName = "URLS",
        };
        // Settings for the service as arguments; RunAsync's action refuses any that is not --KEY=value (or --KEY value).
        var settings = new Argument<string[]>("settings")
        {
            Arity = ArgumentArity.ZeroOrMore,
            Description = "Settings for the service, such as --MEDIALIB_DATA_DIR=/srv/media (any variable of README's Configuration table).",
            HelpName = "--KEY=value",
            Hidden = true, // the description says so; shown, it would stand in every verb's usage line too
        };
        var root = new RootCommand(
            """
            MediaLibrary: a self-hostable media library. Without a command it runs the service (SQLite and local storage in
            ./data unless configured otherwise). Every setting is an environment variable, a line in ./.env, or, for the
            service, a --KEY=value argument (such as --MEDIALIB_DATA_DIR=/srv/media).
            """)
        {
            Options = { urls },
            Arguments = { settings },
            Subcommands =
            {
                UsersCli.Command(services, input),
                KeysCli.Command(services),
                CheckCli.Command(services),
                ReconcileCli.Command(services),
                MigrateCli.Command(services),
            },
        };
        root.SetAction(async (result, ct) =>
        {
            if (Unknown(result.GetValue(settings) ?? []) is { } unknown)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"'{unknown}' is not a command or a --KEY=value setting.");
                await result.InvocationConfiguration.Output.WriteLineAsync();
                new HelpAction().Invoke(result);
                return ExitCodes.Usage;
            }
            return await serve(ct);
        });
        return root;
    }

    /// <summary>
    /// Parses and runs. A parse error prints what is wrong and the help of the command it was given to, and exits with
    /// <see cref="ExitCodes.Usage"/> (System.CommandLine's own code for it is 1, which here means the work failed).
    /// </summary>
    public static async Task<int> RunAsync(RootCommand root, string[] args, InvocationConfiguration configuration, CancellationToken ct)
    {
        var result = root.Parse(args);
        var exit = await result.InvokeAsync(configuration, ct);
        return result.Action is ParseErrorAction ? ExitCodes.Usage : exit;
    }

    /// <summary>The first token that is neither --KEY=value nor --KEY followed by its value, or null.</summary>
    private static string? Unknown(IReadOnlyList<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (!token.StartsWith("--", StringComparison.Ordinal) || token.Length < 3) return token;
            if (token.Contains('=')) continue;
            if (i + 1 >= tokens.Count || tokens[i + 1].StartsWith('-')) return token;
            i++;
        }
        return null;
    }
}
