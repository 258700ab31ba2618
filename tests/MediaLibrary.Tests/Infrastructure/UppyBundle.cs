namespace MediaLibrary.Tests.Infrastructure;

/// <summary>
/// Uppy (its core and tus plugin, from npm in tests/tools) bundled by esbuild into one script, made once per run, for a
/// page to upload with as a website does. It sets window.Uppy and window.UppyTus.
/// </summary>
public static class UppyBundle
{
    private static readonly Lazy<Task<string>> Script = new(BuildAsync);

    public static Task<string> GetAsync() => Script.Value;

    private static async Task<string> BuildAsync()
    {
        if (!Directory.Exists(Path.Combine(NodeTool.ToolsDirectory, "node_modules", "@uppy", "tus")))
            throw new InvalidOperationException("Uppy, which the browser tests run, is not installed. Run: npm ci --prefix tests/tools");
        var psi = new System.Diagnostics.ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = NodeTool.ToolsDirectory };
        psi.ArgumentList.Add(Path.Combine(NodeTool.ToolsDirectory, "uppy-bundle.js"));
        using var process = System.Diagnostics.Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException("Bundling Uppy failed: " + await errors);
        return await output;
    }
}
