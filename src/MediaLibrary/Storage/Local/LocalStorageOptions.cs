using System.ComponentModel.DataAnnotations;

namespace MediaLibrary.Storage.Local;

public sealed class LocalStorageOptions
{
    /// <summary>Folder that holds every stored object. Empty: "files" in the data folder.</summary>
    [ConfigurationKeyName("MEDIALIB_STORAGE_ROOT")]
    public string Root { get; set; } = "";
}
