using System.Diagnostics;

namespace MediaLibrary.Tests.Infrastructure;

/// <summary>A tmpfs of a given size mounted on a folder (the test runs as root, as CI does), and a file that fills it.</summary>
public sealed class SmallDisk : IAsyncDisposable
{
    private readonly string _folder;

    private SmallDisk(string folder) => _folder = folder;

    public static async Task<SmallDisk> MountAsync(string folder, int megabytes)
    {
        Directory.CreateDirectory(folder);
        await RunAsync("mount", "-t", "tmpfs", "-o", $"size={megabytes}m,mode=0700", "tmpfs", folder);
        return new SmallDisk(folder);
    }

    /// <summary>Writes a file until the disk refuses more; returns its path.</summary>
    public string Fill()
    {
        var path = Path.Combine(_folder, "filler");
        var block = new byte[64 * 1024];
        using var file = new FileStream(path, FileMode.CreateNew);
        try
        {
            while (true) file.Write(block);
        }
        catch (IOException)
        {
            return path; // full
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await RunAsync("umount", _folder);
                return;
            }
            catch (InvalidOperationException) when (attempt < 20)
            {
                await Task.Delay(250); // the service still closing its files
            }
        }
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        using var process = System.Diagnostics.Process.Start(psi)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {error} (mounting a small disk needs root, as CI runs)");
    }
}
