using MediaLibrary.Media;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Data;

public sealed class PostgresMediaDbContext(DbContextOptions<PostgresMediaDbContext> options) : MediaDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);
        // Media by tag, for the lists (live media only, as the ordering indexes): `TagIds @> '{…}'` is a GIN lookup.
        b.Entity<MediaItem>().HasIndex(x => x.TagIds).HasMethod("gin").HasFilter("\"TrashedAt\" IS NULL");
    }
}
