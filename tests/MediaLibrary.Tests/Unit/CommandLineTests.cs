using System.CommandLine;
using MediaLibrary.Operations;

namespace MediaLibrary.Tests.Unit;

/// <summary>The command line itself: help, usage errors and exit codes, without building the service.</summary>
public sealed class CommandLineTests
{
    private int _served;
    private int _built;

    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var root = CommandLineApp.Create(
            _ => { _served++; return Task.FromResult(ExitCodes.Ok); },
            _ => { _built++; throw new InvalidOperationException("a verb built the services"); },
            new StringReader(""));
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CommandLineApp.RunAsync(root, args,
            new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null },
            TestContext.Current.CancellationToken);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Help_ListsEveryVerb_AndStartsNothing()
    {
        var (exit, output, _) = await RunAsync("--help");
        Assert.Equal(ExitCodes.Ok, exit);
        foreach (var verb in new[] { "users", "check", "reconcile", "storage", "--urls" }) Assert.Contains(verb, output);
        Assert.Equal((0, 0), (_served, _built));
    }

    [Theory]
    [InlineData(new[] { "users", "--help" }, "set-password <name>")]
    [InlineData(new[] { "users", "add", "--help" }, "--role <admin|editor|viewer>")]
    [InlineData(new[] { "users", "list", "--help" }, "tab-separated")]
    [InlineData(new[] { "users", "set-password", "--help" }, "MEDIALIB_USER_PASSWORD")]
    [InlineData(new[] { "check", "--help" }, "probe object")]
    [InlineData(new[] { "reconcile", "--help" }, "--grace <DURATION>")]
    [InlineData(new[] { "storage", "--help" }, "migrate")]
    [InlineData(new[] { "storage", "migrate", "--help" }, "--to <local|s3|cloudinary>")]
    public async Task EveryVerb_HasHelp(string[] args, string expected)
    {
        var (exit, output, _) = await RunAsync(args);
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("Usage:", output);
        Assert.Contains(expected, output);
        Assert.Equal(0, _built);
    }

    [Theory]
    [InlineData(new[] { "reconcile", "--aply" }, "--aply")]
    [InlineData(new[] { "check", "--verbose" }, "--verbose")]
    [InlineData(new[] { "users", "add", "bob" }, "--role")]
    [InlineData(new[] { "users", "list", "extra" }, "extra")]
    [InlineData(new[] { "storage", "migrate" }, "--to")]
    [InlineData(new[] { "reconcile", "--grace", "soon" }, "'soon' is not a duration")]
    [InlineData(new[] { "frobnicate" }, "'frobnicate' is not a command")]
    [InlineData(new[] { "--urls" }, "--urls")]
    public async Task AnUnknownOrIncompleteCommandLine_IsAUsageError_ThatNamesIt_AndDoesNothing(string[] args, string named)
    {
        var (exit, output, error) = await RunAsync(args);
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains(named, error);
        Assert.Contains("Usage:", output);
        Assert.Equal((0, 0), (_served, _built));
    }

    [Fact]
    public async Task WithoutAVerb_TheServiceRuns_WithSettingsAsArguments()
    {
        var (exit, _, error) = await RunAsync("--urls", "http://127.0.0.1:5999", "--MEDIALIB_DATA_DIR=/tmp/x", "--MEDIALIB_STORAGE", "local");
        Assert.True(exit == ExitCodes.Ok, error);
        Assert.Equal((1, 0), (_served, _built));
    }

    [Fact]
    public async Task AVerb_BuildsTheServicesOnlyOnceItsArgumentsParsed()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync("reconcile", "--grace", "2h"));
        Assert.Equal((0, 1), (_served, _built));
    }
}
