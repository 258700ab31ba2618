using System.Text;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Data;

/// <summary>
/// Inserts many rows in the caller's transaction without tracking them: on PostgreSQL one statement over arrays
/// (<c>unnest</c>), on SQLite rows of VALUES, a few hundred a statement. A bulk change of 10,000 media spent more on
/// tracking and inserting its history entries and tag links one by one than on its own update.
/// </summary>
public static class BulkInsert
{
    /// <summary>Rows per SQLite statement: well under its limit of parameters whatever the columns.</summary>
    private const int SqliteRowsPerStatement = 200;

    /// <summary>
    /// Inserts one row per index of the columns' values (arrays of one length: <c>long[]</c>, <c>long?[]</c>,
    /// <c>string?[]</c>, <c>DateTime[]</c>) into <paramref name="table"/>.
    /// </summary>
    public static async Task ExecuteAsync(MediaDbContext db, string table, IReadOnlyList<(string Column, Array Values)> columns, CancellationToken ct)
    {
        var rows = columns[0].Values.Length;
        if (columns.Any(c => c.Values.Length != rows)) throw new ArgumentException("Every column needs one value per row.", nameof(columns));
        if (rows == 0) return;
        var names = string.Join(", ", columns.Select(c => $"\"{c.Column}\""));
        if (db.Database.IsNpgsql())
        {
            // The table and column names are the caller's constants; every value is a parameter.
            var sql = $"INSERT INTO {table} ({names}) SELECT * FROM unnest({string.Join(", ", columns.Select((_, i) => $"{{{i}}}"))})";
            await db.Database.ExecuteSqlRawAsync(sql, columns.Select(c => (object)c.Values), ct);
            return;
        }
        for (var start = 0; start < rows; start += SqliteRowsPerStatement)
        {
            var count = Math.Min(SqliteRowsPerStatement, rows - start);
            var sql = new StringBuilder($"INSERT INTO {table} ({names}) VALUES ");
            var parameters = new List<object?>(count * columns.Count);
            for (var row = start; row < start + count; row++)
            {
                sql.Append(row == start ? "(" : ", (");
                for (var k = 0; k < columns.Count; k++)
                {
                    sql.Append(k == 0 ? "" : ", ").Append('{').Append(parameters.Count).Append('}');
                    parameters.Add(columns[k].Values.GetValue(row));
                }
                sql.Append(')');
            }
            await db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters!, ct);
        }
    }
}
