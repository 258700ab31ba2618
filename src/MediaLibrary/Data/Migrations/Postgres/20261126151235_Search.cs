using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaLibrary.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Search : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_media_CreatedAt",
                table: "media");

            migrationBuilder.DropIndex(
                name: "IX_media_Size",
                table: "media");

            migrationBuilder.DropIndex(
                name: "IX_media_Title",
                table: "media");

            migrationBuilder.AddColumn<string>(
                name: "SearchText",
                table: "media",
                type: "character varying(3000)",
                maxLength: 3000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_media_CreatedAt_Id",
                table: "media",
                columns: new[] { "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_media_Size_Id",
                table: "media",
                columns: new[] { "Size", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_media_Title_Id",
                table: "media",
                columns: new[] { "Title", "Id" });

            // pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it. Its GIN index
            // serves LIKE '%term%' for terms of three characters or more.
            migrationBuilder.Sql("""
                CREATE EXTENSION IF NOT EXISTS pg_trgm;
                CREATE INDEX "IX_media_SearchText_trgm" ON media USING gin ("SearchText" gin_trgm_ops);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX "IX_media_SearchText_trgm";""");

            migrationBuilder.DropIndex(
                name: "IX_media_CreatedAt_Id",
                table: "media");

            migrationBuilder.DropIndex(
                name: "IX_media_Size_Id",
                table: "media");

            migrationBuilder.DropIndex(
                name: "IX_media_Title_Id",
                table: "media");

            migrationBuilder.DropColumn(
                name: "SearchText",
                table: "media");

            migrationBuilder.CreateIndex(
                name: "IX_media_CreatedAt",
                table: "media",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_media_Size",
                table: "media",
                column: "Size");

            migrationBuilder.CreateIndex(
                name: "IX_media_Title",
                table: "media",
                column: "Title");
        }
    }
}
