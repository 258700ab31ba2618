using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaLibrary.Data.Migrations.Postgres
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
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "TrashedAt",
                table: "media",
                type: "timestamp with time zone",
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

            // A trashed media is in no list: the per-type counts keep live media only. A change touches at most two
            // rows, always in the order of their types, so two crossing changes cannot deadlock.
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION media_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    was text := NULL;
                    now_is text := NULL;
                BEGIN
                    IF TG_OP IN ('UPDATE', 'DELETE') THEN
                        IF OLD."TrashedAt" IS NULL THEN was := OLD."ContentType"; END IF;
                    END IF;
                    IF TG_OP IN ('INSERT', 'UPDATE') THEN
                        IF NEW."TrashedAt" IS NULL THEN now_is := NEW."ContentType"; END IF;
                    END IF;
                    IF was IS NOT DISTINCT FROM now_is THEN
                        RETURN NULL;
                    END IF;
                    IF was IS NOT NULL AND (now_is IS NULL OR was < now_is) THEN
                        UPDATE media_counts SET "Count" = "Count" - 1 WHERE "ContentType" = was;
                    END IF;
                    IF now_is IS NOT NULL THEN
                        INSERT INTO media_counts ("ContentType", "Count") VALUES (now_is, 1)
                            ON CONFLICT ("ContentType") DO UPDATE SET "Count" = media_counts."Count" + 1;
                    END IF;
                    IF was IS NOT NULL AND now_is IS NOT NULL AND was > now_is THEN
                        UPDATE media_counts SET "Count" = "Count" - 1 WHERE "ContentType" = was;
                    END IF;
                    RETURN NULL;
                END
                $$;
                DROP TRIGGER media_count ON media;
                CREATE TRIGGER media_count AFTER INSERT OR DELETE OR UPDATE OF "ContentType", "TrashedAt" ON media
                    FOR EACH ROW EXECUTE FUNCTION media_count_change();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER media_count ON media;
                CREATE OR REPLACE FUNCTION media_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
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
