using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace MediaLibrary.Tests.Process;

/// <summary>The real executable, started the way an operator starts it, with its output captured.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly System.Diagnostics.Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private ServiceProcess(System.Diagnostics.Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output => string.Join('\n', _lines);

    /// <summary>Where a caller started it to listen, for helpers that talk to it.</summary>
    public string? Url { get; set; }

    public static string ExecutablePath()
    {
        // tests/MediaLibrary.Tests/bin/{Configuration}/net10.0 → src/MediaLibrary/bin/{Configuration}/net10.0
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = here.Parent!.Name;
        var repo = here.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(repo, "src", "MediaLibrary", "bin", configuration, here.Name, "MediaLibrary.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the solution first.", dll);
    }

    public static ServiceProcess Start(string workingDirectory, IDictionary<string, string?> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(ExecutablePath());
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("MEDIALIB_", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(key);
        // The suites written for deletion expect a delete to delete at once; the trash has tests of its own.
        psi.Environment["MEDIALIB_TRASH_DAYS"] = "0";
        foreach (var (key, value) in environment) psi.Environment[key] = value;
        return new ServiceProcess(System.Diagnostics.Process.Start(psi)!);
    }

    /// <summary>Runs a CLI verb to completion, feeding <paramref name="input"/> on standard input.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, IDictionary<string, string?> environment, string? input, params string[] args)
    {
        await using var process = Start(workingDirectory, environment, args);
        if (input is not null) await process._process.StandardInput.WriteAsync(input);
        process._process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process._process.WaitForExitAsync(timeout.Token);
        process._process.WaitForExit(); // flushes the asynchronous output readers
        return (process._process.ExitCode, process.Output);
    }

    public async Task<string> WaitForLineAsync(string contains, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            var line = _lines.FirstOrDefault(l => l.Contains(contains, StringComparison.Ordinal));
            if (line is not null) return line;
            if (_process.HasExited)
            {
                _process.WaitForExit(); // flush the output readers so the message below shows why
                break;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"No line containing '{contains}'. Output so far:\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
