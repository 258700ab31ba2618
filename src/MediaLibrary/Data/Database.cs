using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;

namespace MediaLibrary.Data;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>Where the data lives. SQLite in the data folder unless MEDIALIB_DATABASE names a PostgreSQL server.</summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    public static DatabaseSettings From(IConfiguration config, string dataDir)
    {
        var value = config["MEDIALIB_DATABASE"]?.Trim();
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

public static class DatabaseSetup
{
    public static IServiceCollection AddMediaDatabase(this IServiceCollection services, DatabaseSettings settings)
    {
        services.AddSingleton(settings);
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            // Pooled: a request takes a ready context instead of building one (and its services) each time.
            services.AddDbContextPool<SqliteMediaDbContext>(o => o.UseSqlite(settings.ConnectionString).AddInterceptors(SqliteBusyTimeout.Instance));
            services.AddScoped<MediaDbContext>(sp => sp.GetRequiredService<SqliteMediaDbContext>());
        }
        else
        {
            services.AddDbContextPool<PostgresMediaDbContext>(o => o.UseNpgsql(settings.ConnectionString));
            services.AddScoped<MediaDbContext>(sp => sp.GetRequiredService<PostgresMediaDbContext>());
        }
        return services;
    }

    /// <summary>Applies pending migrations; SQLite also switches to WAL so readers never wait on the writer.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MediaDbContext>();
        if (db.Database.IsSqlite())
        {
            var dir = Path.GetDirectoryName(new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource);
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        }
        // Migrating checks the model against the last snapshot, which costs about a second; skip it when nothing is pending.
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count > 0) await db.Database.MigrateAsync(ct);
        if (pending.Any(m => m.EndsWith("_Search", StringComparison.Ordinal)))
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseSetup).FullName!);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var rows = await FillSearchTextAsync(db, ct);
            logger.LogInformation("Search text filled in for {Rows} existing media in {Elapsed}", rows, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
        if (db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
    }

    /// <summary>
    /// The migration that adds <see cref="Media.MediaItem.SearchText"/> cannot fold case the way .NET does in SQL, so
    /// existing rows get theirs here, once, in batches. The triggers and indexes pick each new value up.
    /// </summary>
    private static async Task<int> FillSearchTextAsync(MediaDbContext db, CancellationToken ct)
    {
        var rows = 0;
        for (long last = 0; ;)
        {
            var batch = await db.Media.Where(m => m.Id > last).OrderBy(m => m.Id).Take(500).ToListAsync(ct);
            if (batch.Count == 0) return rows;
            foreach (var m in batch) db.Entry(m).Property(x => x.SearchText).IsModified = true;
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear(); // an edit got there first (another node starting, an editor): read the batch again
                continue;
            }
            db.ChangeTracker.Clear();
            last = batch[^1].Id;
            rows += batch.Count;
        }
    }
}

/// <summary>
/// SQLite has one writer at a time. Without a busy timeout a second writer gets SQLITE_BUSY and the managed driver
/// sleeps 150 ms before it tries again; SQLite's own handler retries within a millisecond or two instead.
/// </summary>
internal sealed class SqliteBusyTimeout : Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor
{
    public static readonly SqliteBusyTimeout Instance = new();

    public override void ConnectionOpened(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData) =>
        Set(connection);

    public override Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData, CancellationToken cancellationToken)
    {
        Set(connection);
        return Task.CompletedTask;
    }

    // The driver pools native connections; the setting stays with each one, so it is set once per native connection.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Configured = new();

    private static void Set(System.Data.Common.DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            if (Configured.TryGetValue(handle, out _)) return;
            Configured.AddOrUpdate(handle, handle);
        }
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 30000;";
        command.ExecuteNonQuery();
    }
}

// Used only by `dotnet ef migrations add`; nothing connects at design time.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteMediaDbContext>
{
    public SqliteMediaDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteMediaDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresMediaDbContext>
{
    public PostgresMediaDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresMediaDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}
