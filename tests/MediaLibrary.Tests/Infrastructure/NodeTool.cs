using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MediaLibrary.Tests.Infrastructure;

/// <summary>
/// A server from tests/tools (`npm ci --prefix tests/tools` installs their packages) run with node on a loopback port,
/// its output kept in a log file for a failing run's message. Started when the port accepts connections.
/// </summary>
public sealed class NodeTool
{
    private NodeTool(System.Diagnostics.Process process, int port, string log)
    {
        Process = process;
        Port = port;
        LogFile = log;
    }

    public System.Diagnostics.Process Process { get; }
    public int Port { get; }
    public string LogFile { get; }

    /// <summary>What the server printed.</summary>
    public string Log => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "";

    public static string ToolsDirectory => Path.Combine(S3Server.RepoRoot(), "tests", "tools");

    /// <summary>Runs tests/tools/{script} with the arguments <paramref name="arguments"/> makes of the free port it is given.</summary>
    public static async Task<NodeTool> StartAsync(string script, string package, Func<string, IEnumerable<string>> arguments)
    {
        if (!Directory.Exists(Path.Combine(ToolsDirectory, "node_modules", package)))
            throw new InvalidOperationException($"{package}, which the tests run, is not installed. Run: npm ci --prefix tests/tools");
        var port = Ports.Free();
        var psi = new System.Diagnostics.ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = ToolsDirectory };
        psi.ArgumentList.Add(Path.Combine(ToolsDirectory, script));
        foreach (var a in arguments(port.ToString(CultureInfo.InvariantCulture))) psi.ArgumentList.Add(a);
        var process = System.Diagnostics.Process.Start(psi)!;
        var log = Path.Combine(Path.GetTempPath(), $"medialib-{Path.GetFileNameWithoutExtension(script)}-{port}.log");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) File.AppendAllText(log, e.Data + "\n"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) File.AppendAllText(log, e.Data + "\n"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var tool = new NodeTool(process, port, log);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return tool;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100);
            }
            catch (SocketException)
            {
                await tool.StopAsync();
                throw new InvalidOperationException($"{script} did not start:\n{tool.Log}");
            }
        }
    }

    public async Task StopAsync()
    {
        try
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }
        catch (InvalidOperationException) { } // already gone
    }
}
