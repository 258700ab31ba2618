namespace MediaLibrary.Storage;

/// <summary>A storage operation failed. <see cref="Permanent"/> means retrying cannot help (credentials, permissions).</summary>
public class StorageException(string provider, string key, string message, Exception? inner = null, bool permanent = false)
    : Exception(message, inner)
{
    public string Provider { get; } = provider;
    public string Key { get; } = key;
    public bool Permanent { get; } = permanent;
}
