using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaLibrary.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Counts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "media_counts",
                columns: table => new
                {
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 127, nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_media_counts", x => x.ContentType);
                });

            // The list's count without counting: one row per content type, changed in the same transaction as media.
            // Beware: a later migration that makes EF rebuild the media table drops these triggers; recreate them there.
            migrationBuilder.Sql("""
                INSERT INTO media_counts (ContentType, Count) SELECT ContentType, count(*) FROM media GROUP BY ContentType;
                CREATE TRIGGER media_count_insert AFTER INSERT ON media BEGIN
                    INSERT INTO media_counts (ContentType, Count) VALUES (new.ContentType, 1)
                        ON CONFLICT (ContentType) DO UPDATE SET Count = Count + 1;
                END;
                CREATE TRIGGER media_count_delete AFTER DELETE ON media BEGIN
                    UPDATE media_counts SET Count = Count - 1 WHERE ContentType = old.ContentType;
                END;
                CREATE TRIGGER media_count_update AFTER UPDATE OF ContentType ON media BEGIN
                    UPDATE media_counts SET Count = Count - 1 WHERE ContentType = old.ContentType;
                    INSERT INTO media_counts (ContentType, Count) VALUES (new.ContentType, 1)
                        ON CONFLICT (ContentType) DO UPDATE SET Count = Count + 1;
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER media_count_update;
                DROP TRIGGER media_count_delete;
                DROP TRIGGER media_count_insert;
                """);

            migrationBuilder.DropTable(
                name: "media_counts");
        }
    }
}
