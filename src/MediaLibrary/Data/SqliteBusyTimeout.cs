using Microsoft.Data.Sqlite;

namespace MediaLibrary.Data;

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
