namespace MediaLibrary.Data;

/// <summary>Where the data lives: the data folder and the database. Read before the services are built, since they decide which.</summary>
public sealed class DataOptions
{
    /// <summary>The SQLite file, local storage and generated keys; relative to the working directory. Default ./data.</summary>
    [ConfigurationKeyName("MEDIALIB_DATA_DIR")]
    public string? DataDir { get; set; }

    /// <summary>A PostgreSQL connection string or postgres:// URI; empty: SQLite in the data folder.</summary>
    [ConfigurationKeyName("MEDIALIB_DATABASE")]
    public string? Database { get; set; }

    public static DataOptions From(IConfiguration config) => config.Get<DataOptions>() ?? new DataOptions();
}
