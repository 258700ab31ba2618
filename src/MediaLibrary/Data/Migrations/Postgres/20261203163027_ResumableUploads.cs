using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaLibrary.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ResumableUploads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "resumable_uploads",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Owner = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Length = table.Column<long>(type: "bigint", nullable: false),
                    Offset = table.Column<long>(type: "bigint", nullable: false),
                    FileName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Title = table.Column<string>(type: "character varying(16384)", maxLength: 16384, nullable: true),
                    AltText = table.Column<string>(type: "character varying(16384)", maxLength: 16384, nullable: true),
                    FolderId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Tags = table.Column<string>(type: "character varying(16384)", maxLength: 16384, nullable: true),
                    StorageId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    StorageKey = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    Provider = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    StorageUploadId = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    EntryId = table.Column<long>(type: "bigint", nullable: false),
                    HashState = table.Column<byte[]>(type: "bytea", maxLength: 128, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LeaseUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    MediaId = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_resumable_uploads", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_resumable_uploads_ExpiresAt",
                table: "resumable_uploads",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_resumable_uploads_Owner_ExpiresAt",
                table: "resumable_uploads",
                columns: new[] { "Owner", "ExpiresAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "resumable_uploads");
        }
    }
}
