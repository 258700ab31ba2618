using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace MediaLibrary.Data;

public static class DatabaseFault
{
    // SQLite primary result codes (the low byte of an extended code).
    private const int SqliteBusy = 5, SqliteLocked = 6, SqliteReadOnly = 8, SqliteIoErr = 10, SqliteFull = 13, SqliteCantOpen = 14;

    /// <summary>Looks through the exception and its causes (EF wraps the provider's in its own) for a database fault.</summary>
    public static DatabaseFaultKind Classify(Exception exception)
    {
        for (Exception? ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case SqliteException sqlite:
                    return (sqlite.SqliteErrorCode & 0xFF) switch
                    {
                        SqliteFull => DatabaseFaultKind.DiskFull,
                        SqliteBusy or SqliteLocked or SqliteReadOnly or SqliteIoErr or SqliteCantOpen => DatabaseFaultKind.Unavailable,
                        _ => DatabaseFaultKind.None,
                    };
                case PostgresException postgres:
                    return postgres.SqlState switch
                    {
                        "53100" => DatabaseFaultKind.DiskFull, // disk_full
                        _ when postgres.IsTransient => DatabaseFaultKind.Unavailable,
                        // connection exceptions, insufficient resources, operator intervention (shutdown, starting up),
                        // and a server in recovery or read-only that refuses writes
                        var s when s.StartsWith("08", StringComparison.Ordinal) || s.StartsWith("53", StringComparison.Ordinal)
                                   || s.StartsWith("57P", StringComparison.Ordinal) || s == "25006" => DatabaseFaultKind.Unavailable,
                        _ => DatabaseFaultKind.None,
                    };
                case NpgsqlException npgsql when npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException:
                    return DatabaseFaultKind.Unavailable;
            }
        }
        return DatabaseFaultKind.None;
    }
}
