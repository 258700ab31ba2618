using System.Diagnostics;
using Npgsql;

namespace MediaLibrary.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster from the machine's binaries, started once per test run on a free port
/// (or the server named by MEDIALIB_TEST_POSTGRES). Each test app gets a database of its own.
/// </summary>
public sealed class PostgresServer
{
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);

    private readonly string _connectionString;

    private PostgresServer(string connectionString) => _connectionString = connectionString;

    public static Task<PostgresServer> GetAsync() => Shared.Value;

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

    private static async Task<PostgresServer> StartAsync()
    {
        var external = Environment.GetEnvironmentVariable("MEDIALIB_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(external)) return new PostgresServer(external);

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
        await RunAsync(Path.Combine(bin, "pg_ctl"), runAs, "-D", data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "-o",
            $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            "start");

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
        return new PostgresServer($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=30");
    }

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
