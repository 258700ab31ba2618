using MediaLibrary.Media;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Data;

public sealed class SqliteMediaDbContext(DbContextOptions<SqliteMediaDbContext> options) : MediaDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);
        // SQLite has no index that serves an array: its lists look tags up in the media_tags key.
        b.Entity<MediaItem>().Ignore(x => x.TagIds);
    }
}
