using Microsoft.Extensions.Options;

namespace MediaLibrary.Storage;

/// <summary>
/// Every configured storage, by provider name. New uploads go to <see cref="Active"/>; rows and pending deletions
/// name the provider that holds their object, so objects stay reachable after the active storage changes.
/// </summary>
public sealed class StorageRegistry
{
    private readonly Dictionary<string, IBlobStore> _stores;

    public StorageRegistry(IEnumerable<IBlobStore> stores, IOptions<StorageOptions> options)
    {
        _stores = stores.ToDictionary(s => s.Provider, StringComparer.Ordinal);
        var active = options.Value.ActiveProvider;
        Active = _stores.GetValueOrDefault(active) ?? throw new OptionsValidationException("MEDIALIB_STORAGE", typeof(StorageOptions),
            [$"MEDIALIB_STORAGE={active} is not a storage provider; use local, s3 or cloudinary."]);
    }

    public IBlobStore Active { get; }

    public IReadOnlyCollection<IBlobStore> All => _stores.Values;

    public IBlobStore? Find(string provider) => _stores.GetValueOrDefault(provider);
}
