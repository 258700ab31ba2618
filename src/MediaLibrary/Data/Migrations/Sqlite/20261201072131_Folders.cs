using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaLibrary.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Folders : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "FolderId",
                table: "media",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "folders",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ParentId = table.Column<long>(type: "INTEGER", nullable: true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    NameKey = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Path = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    Depth = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_folders", x => x.Id);
                    table.ForeignKey(
                        name: "FK_folders_folders_ParentId",
                        column: x => x.ParentId,
                        principalTable: "folders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

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
                name: "IX_folders_NameKey_top",
                table: "folders",
                column: "NameKey",
                unique: true,
                filter: "\"ParentId\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_folders_ParentId_NameKey",
                table: "folders",
                columns: new[] { "ParentId", "NameKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_folders_Path",
                table: "folders",
                column: "Path");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "folders");

            migrationBuilder.DropIndex(
                name: "IX_media_FolderId_CreatedAt_Id",
                table: "media");

            migrationBuilder.DropIndex(
                name: "IX_media_FolderId_Size_Id",
                table: "media");

            migrationBuilder.DropIndex(
                name: "IX_media_FolderId_Title_Id",
                table: "media");

            migrationBuilder.DropColumn(
                name: "FolderId",
                table: "media");
        }
    }
}
