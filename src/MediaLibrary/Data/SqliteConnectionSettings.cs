using Microsoft.Data.Sqlite;

namespace MediaLibrary.Data;

/// <summary>
/// Each native connection's settings.
/// <list type="bullet">
/// <item>A busy timeout: SQLite has one writer at a time. Without one a second writer gets SQLITE_BUSY and the managed
/// driver sleeps 150 ms before it tries again; SQLite's own handler retries within a millisecond or two instead.</item>
/// <item>Reads through a memory map of the database file (up to 1 GiB of it): the pages are the operating system's
/// cache, shared by every connection, instead of a read call for each page missing from a connection's own 2 MB cache.
/// At 100,000 media (a 97 MB file) a tag's 4,583 media with their text tested took 13 ms, 4 ms mapped.</item>
/// </list>
/// </summary>
internal sealed class SqliteConnectionSettings : Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor
{
    public static readonly SqliteConnectionSettings Instance = new();

    public override void ConnectionOpened(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData) =>
        Set(connection);

    public override Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData, CancellationToken cancellationToken)
    {
        Set(connection);
        return Task.CompletedTask;
    }

    // The driver pools native connections; the settings stay with each one, so they are set once per native connection.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Configured = new();

    private static void Set(System.Data.Common.DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            if (Configured.TryGetValue(handle, out _)) return;
            Configured.AddOrUpdate(handle, handle);
        }
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA mmap_size = 1073741824;";
        command.ExecuteNonQuery();
    }
}
