namespace MediaLibrary.Data;

/// <summary>The folder for everything the service keeps on disk: SQLite file, local storage, signing key.</summary>
public sealed class DataDirectory
{
    public DataDirectory(IConfiguration config)
    {
        var configured = config["MEDIALIB_DATA_DIR"];
        Path = System.IO.Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? "data" : configured);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }
}
