using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Data;

public static class DatabaseSetup
{
    public static IServiceCollection AddMediaDatabase(this IServiceCollection services, DatabaseSettings settings)
    {
        services.AddSingleton(settings);
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            // Pooled: a request takes a ready context instead of building one (and its services) each time.
            services.AddDbContextPool<SqliteMediaDbContext>(o => o.UseSqlite(settings.ConnectionString).AddInterceptors(SqliteConnectionSettings.Instance));
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
            var file = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            var dir = Path.GetDirectoryName(file);
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
            // The database holds the password hashes: created owner-only (0600). SQLite gives its -wal and -shm files the
            // same mode, and an empty file is a new database to it.
            if (!OperatingSystem.IsWindows() && !string.IsNullOrEmpty(file) && file != ":memory:" && !File.Exists(file))
                new FileStream(file, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                }).Dispose();
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
