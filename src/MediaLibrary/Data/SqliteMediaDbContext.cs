using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Data;

public sealed class SqliteMediaDbContext(DbContextOptions<SqliteMediaDbContext> options) : MediaDbContext(options);
