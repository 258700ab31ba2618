using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MediaLibrary.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class History : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "media_history",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MediaId = table.Column<long>(type: "bigint", nullable: false),
                    Action = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Actor = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ActorId = table.Column<long>(type: "bigint", nullable: true),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RequestId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ClientAddress = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Details = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_media_history", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_media_history_Action_At_Id",
                table: "media_history",
                columns: new[] { "Action", "At", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_media_history_Actor_At_Id",
                table: "media_history",
                columns: new[] { "Actor", "At", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_media_history_At_Id",
                table: "media_history",
                columns: new[] { "At", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_media_history_MediaId_At_Id",
                table: "media_history",
                columns: new[] { "MediaId", "At", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "media_history");
        }
    }
}
