namespace MediaLibrary.Storage;

public sealed class BlobAlreadyExistsException(string provider, string key)
    : StorageException(provider, key, $"An object already exists at '{key}' in {provider} storage; keys are never reused.", permanent: true);
