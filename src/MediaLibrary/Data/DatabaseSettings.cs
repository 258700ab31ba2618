using Microsoft.Data.Sqlite;
using Npgsql;

namespace MediaLibrary.Data;

/// <summary>Where the data lives. SQLite in the data folder unless MEDIALIB_DATABASE names a PostgreSQL server.</summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    public static DatabaseSettings From(DataOptions options, string dataDir)
    {
        var value = options.Database?.Trim();
        if (string.IsNullOrEmpty(value))
            return new(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDir, "medialibrary.db") }.ToString());
        if (value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            return new(DatabaseProvider.Postgres, FromPostgresUri(value));
        if (value.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
            return new(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder { DataSource = value["sqlite:".Length..] }.ToString());
        if (value.Contains("Data Source=", StringComparison.OrdinalIgnoreCase))
            return new(DatabaseProvider.Sqlite, value);
        try
        {
            return new(DatabaseProvider.Postgres, new NpgsqlConnectionStringBuilder(value).ToString());
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException("MEDIALIB_DATABASE is neither a PostgreSQL connection string (Host=…;Database=…) nor a postgres:// URI: " + ex.Message);
        }
    }

    /// <summary>The connection described without its secrets, for the start-up summary.</summary>
    public string Describe()
    {
        if (Provider == DatabaseProvider.Sqlite)
            return $"SQLite ({new SqliteConnectionStringBuilder(ConnectionString).DataSource})";
        var b = new NpgsqlConnectionStringBuilder(ConnectionString);
        return $"PostgreSQL (host={b.Host}, port={b.Port}, database={b.Database}, user={b.Username}, password={(string.IsNullOrEmpty(b.Password) ? "none" : "***")})";
    }

    private static string FromPostgresUri(string value)
    {
        var uri = new Uri(value);
        var b = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port > 0 ? uri.Port : 5432,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0) b.Username = Uri.UnescapeDataString(userInfo[0]);
        if (userInfo.Length > 1) b.Password = Uri.UnescapeDataString(userInfo[1]);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            b[Uri.UnescapeDataString(kv[0]).Replace('_', ' ')] = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : "";
        }
        return b.ToString();
    }
}
