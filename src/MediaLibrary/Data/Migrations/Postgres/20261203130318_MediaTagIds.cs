using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaLibrary.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MediaTagIds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long[]>(
                name: "TagIds",
                table: "media",
                type: "bigint[]",
                nullable: false,
                defaultValue: new long[0]);

            // Every media's tags so far, copied from its links (media without tags keep the empty array).
            migrationBuilder.Sql("""
                UPDATE media SET "TagIds" = l.ids
                FROM (SELECT "MediaId", array_agg("TagId" ORDER BY "TagId") AS ids FROM media_tags GROUP BY "MediaId") AS l
                WHERE media."Id" = l."MediaId";
                """);

            migrationBuilder.CreateIndex(
                name: "IX_media_TagIds",
                table: "media",
                column: "TagIds",
                filter: "\"TrashedAt\" IS NULL")
                .Annotation("Npgsql:IndexMethod", "gin");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_media_TagIds",
                table: "media");

            migrationBuilder.DropColumn(
                name: "TagIds",
                table: "media");
        }
    }
}
