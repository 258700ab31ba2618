using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace MediaLibrary.Data;

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
