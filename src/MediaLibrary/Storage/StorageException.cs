namespace MediaLibrary.Storage;

/// <summary>
/// A storage operation failed. <see cref="Permanent"/> means no retry can ever succeed: the request itself is wrong (a
/// malformed key, an invalid argument). Denied access, bad credentials, a missing bucket and outages are not permanent:
/// an operator can fix them, and the work waiting on them must then go through by itself.
/// </summary>
public class StorageException(string provider, string key, string message, Exception? inner = null, bool permanent = false)
    : Exception(message, inner)
{
    public string Provider { get; } = provider;
    public string Key { get; } = key;
    public bool Permanent { get; } = permanent;

    /// <summary>The storage's own disk is full (local storage): nothing can be written until space is made.</summary>
    public bool DiskFull => InnerException is IOException io && IsDiskFull(io.HResult);

    // ENOSPC is the HResult on Unix; ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL on Windows.
    private static bool IsDiskFull(int hresult) => hresult is 28 or unchecked((int)0x80070070) or unchecked((int)0x80070027);
}
