namespace MediaLibrary.Storage;

public sealed class BlobNotFoundException(string provider, string key)
    : StorageException(provider, key, $"No object at '{key}' in {provider} storage.");
