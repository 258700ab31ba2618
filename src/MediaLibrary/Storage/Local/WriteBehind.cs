using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MediaLibrary.Storage.Local;

/// <summary>
/// Copies into a file and asks Linux to start writing each few megabytes to disk as they are written
/// (<c>sync_file_range</c> with <c>SYNC_FILE_RANGE_WRITE</c>, which does not wait), so that the flush to disk at the end
/// finds little left to do instead of the whole piece: a resumable upload flushes every piece before it confirms it.
/// Elsewhere, or where the call is refused, it is a plain copy.
/// </summary>
internal static class WriteBehind
{
    private const int BufferSize = 128 * 1024;
    private const long Stride = 2 * 1024 * 1024;
    private const uint SyncFileRangeWrite = 2;
    private static bool _unavailable = !OperatingSystem.IsLinux();

    public static async Task CopyAsync(Stream source, FileStream file, CancellationToken ct)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var started = file.Position;
            var position = started;
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), ct)) > 0)
            {
                await file.WriteAsync(buffer.AsMemory(0, read), ct);
                position += read;
                if (position - started >= Stride)
                {
                    Start(file.SafeFileHandle, started, position - started);
                    started = position;
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Start(SafeFileHandle handle, long offset, long count)
    {
        if (_unavailable) return;
        try
        {
            if (sync_file_range((int)handle.DangerousGetHandle(), offset, count, SyncFileRangeWrite) != 0) _unavailable = true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true;
        }
    }

    [DllImport("libc", ExactSpelling = true, SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int sync_file_range(int fd, long offset, long nbytes, uint flags);
}
