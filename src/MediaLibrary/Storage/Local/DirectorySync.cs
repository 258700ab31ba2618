using System.Runtime.InteropServices;

namespace MediaLibrary.Storage.Local;

/// <summary>
/// fsync of a folder: makes a file's name in it (a rename into place, a removal) survive a power loss, which the file's
/// own fsync does not. .NET opens no handle on a folder, so this is the one call it lacks. On Windows NTFS journals
/// names itself and there is nothing to do.
/// </summary>
internal static class DirectorySync
{
    private const int NoSuchFile = 2; // ENOENT

    /// <summary>Flushes the folder; false when it does not exist (removed meanwhile), so the caller flushes its parent.</summary>
    public static bool Flush(string directory)
    {
        if (OperatingSystem.IsWindows()) return true;
        var fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == NoSuchFile) return false;
            throw new IOException($"Opening the folder '{directory}' to flush it failed (errno {errno}).");
        }
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"Flushing the folder '{directory}' to disk failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally
        {
            _ = Close(fd);
        }
        return true;
    }

    // DllImport, not LibraryImport: the generated marshalling needs unsafe code, which the project does not allow.
    [DllImport("libc", EntryPoint = "open", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open(string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
}
