using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaLibrary.Data.Migrations.Sqlite
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
                type: "TEXT",
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

            // A trigram FTS5 index over the folded text finds any substring of three characters or more. It keeps no
            // copy of the text (external content) and triggers keep it in step with every insert, update and delete.
            // Beware: a later migration that makes EF rebuild the media table drops these triggers; recreate them
            // there and run the 'rebuild' command.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE media_search USING fts5(SearchText, content='media', content_rowid='Id', tokenize='trigram case_sensitive 1');
                INSERT INTO media_search(media_search) VALUES ('rebuild');
                CREATE TRIGGER media_search_insert AFTER INSERT ON media BEGIN
                    INSERT INTO media_search(rowid, SearchText) VALUES (new.Id, new.SearchText);
                END;
                CREATE TRIGGER media_search_delete AFTER DELETE ON media BEGIN
                    INSERT INTO media_search(media_search, rowid, SearchText) VALUES ('delete', old.Id, old.SearchText);
                END;
                CREATE TRIGGER media_search_update AFTER UPDATE OF SearchText ON media BEGIN
                    INSERT INTO media_search(media_search, rowid, SearchText) VALUES ('delete', old.Id, old.SearchText);
                    INSERT INTO media_search(rowid, SearchText) VALUES (new.Id, new.SearchText);
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER media_search_update;
                DROP TRIGGER media_search_delete;
                DROP TRIGGER media_search_insert;
                DROP TABLE media_search;
                """);

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
