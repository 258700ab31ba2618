using System.Diagnostics;
using Npgsql;

namespace MediaLibrary.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster from the machine's binaries, started once per test run on a free port
/// (or the server named by MEDIALIB_TEST_POSTGRES). Each test app gets a database of its own.
/// </summary>
public sealed class PostgresServer
{
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartSharedAsync);

    private readonly string _connectionString;
    private readonly (string Bin, string? RunAs, string Root, string Data, int Port)? _cluster;
    private readonly bool _durable;

    private PostgresServer(string connectionString, (string, string?, string, string, int)? cluster = null, bool durable = false)
    {
        _connectionString = connectionString;
        _cluster = cluster;
        _durable = durable;
    }

    /// <summary>The server most suites share (one cluster for the whole run).</summary>
    public static Task<PostgresServer> GetAsync() => Shared.Value;

    /// <summary>A cluster of its own, for a test that stops and starts it (an outage no other suite may see).</summary>
    public static Task<PostgresServer> StartPrivateAsync() => StartClusterAsync(durable: true);

    /// <summary>Stops the server at once, as a crash or an operator would (connections are cut).</summary>
    public Task StopAsync()
    {
        var (bin, runAs, _, data, _) = _cluster ?? throw new InvalidOperationException("Only a private cluster is stopped.");
        return RunAsync(Path.Combine(bin, "pg_ctl"), runAs, "-D", data, "-m", "immediate", "-w", "stop");
    }

    /// <summary>Starts a stopped private cluster again, on its port.</summary>
    public Task StartAgainAsync()
    {
        var (bin, runAs, root, data, port) = _cluster ?? throw new InvalidOperationException("Only a private cluster is started again.");
        return StartServerAsync(bin, runAs, root, data, port, _durable);
    }

    public async Task<string> CreateDatabaseAsync()
    {
        var name = "medialib_" + Guid.NewGuid().ToString("n")[..16];
        await using (var conn = new NpgsqlConnection(_connectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(_connectionString) { Database = name, MaxPoolSize = 30 }.ToString();
    }

    private static async Task<PostgresServer> StartSharedAsync()
    {
        var external = Environment.GetEnvironmentVariable("MEDIALIB_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(external)) return new PostgresServer(external);
        return await StartClusterAsync(durable: false);
    }

    /// <summary>
    /// <paramref name="durable"/>: a commit is in the WAL before it returns, so a stop (-m immediate, like a crash) loses
    /// nothing acknowledged; the shared cluster trades that for speed, as nothing stops it mid-run.
    /// </summary>
    private static async Task<PostgresServer> StartClusterAsync(bool durable)
    {
        var bin = FindBinDirectory() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or in /usr/lib/postgresql/*/bin. " +
            "Install them (Debian: apt-get install postgresql) or set MEDIALIB_TEST_POSTGRES to a connection string.");
        var root = Path.Combine(Path.GetTempPath(), "medialib-pg-" + Guid.NewGuid().ToString("n")[..8]);
        var data = Path.Combine(root, "data");
        Directory.CreateDirectory(root);

        // PostgreSQL refuses to run as root; run it as an unprivileged account then.
        string? runAs = null;
        if (Environment.IsPrivilegedProcess)
        {
            runAs = File.ReadAllLines("/etc/passwd").Any(l => l.StartsWith("postgres:", StringComparison.Ordinal)) ? "postgres" : "nobody";
            await RunAsync("chown", null, runAs, root);
        }

        var port = Ports.Free();
        await RunAsync(Path.Combine(bin, "initdb"), runAs, "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync");
        await StartServerAsync(bin, runAs, root, data, port, durable);

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                RunAsync(Path.Combine(bin, "pg_ctl"), runAs, "-D", data, "-m", "immediate", "stop").GetAwaiter().GetResult();
                Directory.Delete(root, recursive: true);
            }
            catch (Exception)
            {
                // best effort at exit: the cluster lives in a temp folder
            }
        };
        return new PostgresServer($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=30", (bin, runAs, root, data, port), durable);
    }

    private static Task StartServerAsync(string bin, string? runAs, string root, string data, int port, bool durable) =>
        RunAsync(Path.Combine(bin, "pg_ctl"), runAs, "-D", data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "-o",
            $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c full_page_writes=off " +
            $"-c synchronous_commit={(durable ? "on" : "off")}",
            "start");

    private static string? FindBinDirectory()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            if (File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"))) return dir;
        const string debian = "/usr/lib/postgresql";
        return Directory.Exists(debian)
            ? Directory.GetDirectories(debian).Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderByDescending(d => d, StringComparer.Ordinal).FirstOrDefault()
            : null;
    }

    private static async Task RunAsync(string file, string? runAs, params string[] args)
    {
        var psi = new ProcessStartInfo(runAs is null ? file : "runuser") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (runAs is not null) { psi.ArgumentList.Add("-u"); psi.ArgumentList.Add(runAs); psi.ArgumentList.Add("--"); psi.ArgumentList.Add(file); }
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}{await stdout}");
    }

}
