using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Data;

public sealed class PostgresMediaDbContext(DbContextOptions<PostgresMediaDbContext> options) : MediaDbContext(options);
