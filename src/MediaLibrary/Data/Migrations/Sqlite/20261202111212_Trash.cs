using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaLibrary.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Trash : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_media_CreatedAt_Id",
                table: "media");

            migrationBuilder.DropIndex(
                name: "IX_media_FolderId_CreatedAt_Id",
                table: "media");

            migrationBuilder.DropIndex(
                name: "IX_media_FolderId_Size_Id",
                table: "media");

            migrationBuilder.DropIndex(
                name: "IX_media_FolderId_Title_Id",
                table: "media");

            migrationBuilder.DropIndex(
                name: "IX_media_Size_Id",
                table: "media");

            migrationBuilder.DropIndex(
                name: "IX_media_Title_Id",
                table: "media");

            migrationBuilder.AddColumn<DateTime>(
                name: "PurgeAt",
                table: "media",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "TrashedAt",
                table: "media",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_media_CreatedAt_Id_TrashedAt",
                table: "media",
                columns: new[] { "CreatedAt", "Id", "TrashedAt" },
                filter: "\"TrashedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_media_FolderId_CreatedAt_Id_TrashedAt",
                table: "media",
                columns: new[] { "FolderId", "CreatedAt", "Id", "TrashedAt" },
                filter: "\"TrashedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_media_FolderId_Size_Id_TrashedAt",
                table: "media",
                columns: new[] { "FolderId", "Size", "Id", "TrashedAt" },
                filter: "\"TrashedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_media_FolderId_Title_Id_TrashedAt",
                table: "media",
                columns: new[] { "FolderId", "Title", "Id", "TrashedAt" },
                filter: "\"TrashedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_media_PurgeAt_Id",
                table: "media",
                columns: new[] { "PurgeAt", "Id" },
                filter: "\"PurgeAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_media_Size_Id_TrashedAt",
                table: "media",
                columns: new[] { "Size", "Id", "TrashedAt" },
                filter: "\"TrashedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_media_Title_Id_TrashedAt",
                table: "media",
                columns: new[] { "Title", "Id", "TrashedAt" },
                filter: "\"TrashedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_media_TrashedAt_Id",
                table: "media",
                columns: new[] { "TrashedAt", "Id" },
                filter: "\"TrashedAt\" IS NOT NULL");

            // A trashed media is in no list: the search index and the per-type counts keep live media only. The search
            // index's 'delete' must be given exactly what it indexed, so a row leaves it only while it is in it.
            migrationBuilder.Sql("""
                DROP TRIGGER media_search_insert;
                DROP TRIGGER media_search_delete;
                DROP TRIGGER media_search_update;
                CREATE TRIGGER media_search_insert AFTER INSERT ON media WHEN new.TrashedAt IS NULL BEGIN
                    INSERT INTO media_search(rowid, SearchText) VALUES (new.Id, new.SearchText);
                END;
                CREATE TRIGGER media_search_delete AFTER DELETE ON media WHEN old.TrashedAt IS NULL BEGIN
                    INSERT INTO media_search(media_search, rowid, SearchText) VALUES ('delete', old.Id, old.SearchText);
                END;
                CREATE TRIGGER media_search_update AFTER UPDATE OF SearchText, TrashedAt ON media BEGIN
                    INSERT INTO media_search(media_search, rowid, SearchText) SELECT 'delete', old.Id, old.SearchText WHERE old.TrashedAt IS NULL;
                    INSERT INTO media_search(rowid, SearchText) SELECT new.Id, new.SearchText WHERE new.TrashedAt IS NULL;
                END;
                DROP TRIGGER media_count_insert;
                DROP TRIGGER media_count_delete;
                DROP TRIGGER media_count_update;
                CREATE TRIGGER media_count_insert AFTER INSERT ON media WHEN new.TrashedAt IS NULL BEGIN
                    INSERT INTO media_counts (ContentType, Count) VALUES (new.ContentType, 1)
                        ON CONFLICT (ContentType) DO UPDATE SET Count = Count + 1;
                END;
                CREATE TRIGGER media_count_delete AFTER DELETE ON media WHEN old.TrashedAt IS NULL BEGIN
                    UPDATE media_counts SET Count = Count - 1 WHERE ContentType = old.ContentType;
                END;
                CREATE TRIGGER media_count_update AFTER UPDATE OF ContentType, TrashedAt ON media BEGIN
                    UPDATE media_counts SET Count = Count - 1 WHERE ContentType = old.ContentType AND old.TrashedAt IS NULL;
                    INSERT INTO media_counts (ContentType, Count) SELECT new.ContentType, 1 WHERE new.TrashedAt IS NULL
                        ON CONFLICT (ContentType) DO UPDATE SET Count = Count + 1;
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER media_search_insert;
                DROP TRIGGER media_search_delete;
                DROP TRIGGER media_search_update;
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
                DROP TRIGGER media_count_insert;
                DROP TRIGGER media_count_delete;
                DROP TRIGGER media_count_update;
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

            migrationBuilder.DropIndex(
                name: "IX_media_CreatedAt_Id_TrashedAt",
                table: "media");

            migrationBuilder.DropIndex(
                name: "IX_media_FolderId_CreatedAt_Id_TrashedAt",
                table: "media");

            migrationBuilder.DropIndex(
                name: "IX_media_FolderId_Size_Id_TrashedAt",
                table: "media");

            migrationBuilder.DropIndex(
                name: "IX_media_FolderId_Title_Id_TrashedAt",
                table: "media");

            migrationBuilder.DropIndex(
                name: "IX_media_PurgeAt_Id",
                table: "media");

            migrationBuilder.DropIndex(
                name: "IX_media_Size_Id_TrashedAt",
                table: "media");

            migrationBuilder.DropIndex(
                name: "IX_media_Title_Id_TrashedAt",
                table: "media");

            migrationBuilder.DropIndex(
                name: "IX_media_TrashedAt_Id",
                table: "media");

            migrationBuilder.DropColumn(
                name: "PurgeAt",
                table: "media");

            migrationBuilder.DropColumn(
                name: "TrashedAt",
                table: "media");

            migrationBuilder.CreateIndex(
                name: "IX_media_CreatedAt_Id",
                table: "media",
                columns: new[] { "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_media_FolderId_CreatedAt_Id",
                table: "media",
                columns: new[] { "FolderId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_media_FolderId_Size_Id",
                table: "media",
                columns: new[] { "FolderId", "Size", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_media_FolderId_Title_Id",
                table: "media",
                columns: new[] { "FolderId", "Title", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_media_Size_Id",
                table: "media",
                columns: new[] { "Size", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_media_Title_Id",
                table: "media",
                columns: new[] { "Title", "Id" });
        }
    }
}
