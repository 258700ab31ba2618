using System.ComponentModel.DataAnnotations;

namespace MediaLibrary.Storage.Local;

public sealed class LocalStorageOptions
{
    /// <summary>Folder that holds every stored object. Defaults to "files" in the data folder.</summary>
    [Required]
    public string Root { get; set; } = "";
}
