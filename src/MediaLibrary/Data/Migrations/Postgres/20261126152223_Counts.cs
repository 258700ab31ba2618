using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaLibrary.Data.Migrations.Postgres
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
                    ContentType = table.Column<string>(type: "character varying(127)", maxLength: 127, nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_media_counts", x => x.ContentType);
                });

            // The list's count without counting: one row per content type, changed in the same transaction as media.
            // A type change touches two rows, always in the same order, so two crossing changes cannot deadlock.
            // The lock keeps writers of other nodes out between the first count and the trigger (until commit).
            migrationBuilder.Sql("""
                LOCK TABLE media IN SHARE ROW EXCLUSIVE MODE;
                INSERT INTO media_counts ("ContentType", "Count") SELECT "ContentType", count(*) FROM media GROUP BY "ContentType";
                CREATE FUNCTION media_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'UPDATE' AND OLD."ContentType" = NEW."ContentType" THEN
                        RETURN NULL;
                    END IF;
                    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD."ContentType" < NEW."ContentType") THEN
                        UPDATE media_counts SET "Count" = "Count" - 1 WHERE "ContentType" = OLD."ContentType";
                    END IF;
                    IF TG_OP IN ('INSERT', 'UPDATE') THEN
                        INSERT INTO media_counts ("ContentType", "Count") VALUES (NEW."ContentType", 1)
                            ON CONFLICT ("ContentType") DO UPDATE SET "Count" = media_counts."Count" + 1;
                    END IF;
                    IF TG_OP = 'UPDATE' AND OLD."ContentType" > NEW."ContentType" THEN
                        UPDATE media_counts SET "Count" = "Count" - 1 WHERE "ContentType" = OLD."ContentType";
                    END IF;
                    RETURN NULL;
                END
                $$;
                CREATE TRIGGER media_count AFTER INSERT OR DELETE OR UPDATE OF "ContentType" ON media
                    FOR EACH ROW EXECUTE FUNCTION media_count_change();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER media_count ON media;
                DROP FUNCTION media_count_change();
                """);

            migrationBuilder.DropTable(
                name: "media_counts");
        }
    }
}
