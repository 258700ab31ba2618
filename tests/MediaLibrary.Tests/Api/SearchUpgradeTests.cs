using System.Net;
using MediaLibrary.Api;
using MediaLibrary.Data;
using MediaLibrary.Media;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MediaLibrary.Tests.Api;

/// <summary>A library from before search had its own index: after the upgrade every row is found, folded as .NET folds.</summary>
public sealed class SearchUpgradeTests
{
    private sealed class UpgradedApp : MediaLibraryApp
    {
        public UpgradedApp(string dataDir, string? database) : base(dataDir)
        {
            if (database is not null) Set("MEDIALIB_DATABASE", database);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RowsWrittenBeforeTheSearchMigration_AreFoundAfterIt(bool postgres)
    {
        var ct = TestContext.Current.CancellationToken;
        var dir = Path.Combine(Path.GetTempPath(), "medialib-test-" + Guid.NewGuid().ToString("n")[..12]);
        Directory.CreateDirectory(dir);
        var database = postgres ? await (await PostgresServer.GetAsync()).CreateDatabaseAsync() : null;
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["MEDIALIB_DATABASE"] = database }).Build();

        // The schema as the previous release left it, with more rows than one batch of the fill.
        await using (var services = new ServiceCollection().AddMediaDatabase(DatabaseSettings.From(DataOptions.From(config), dir)).BuildServiceProvider())
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MediaDbContext>();
            var before = db.Database.GetMigrations().Single(m => m.EndsWith("_Images", StringComparison.Ordinal));
            await db.GetService<IMigrator>().MigrateAsync(before, cancellationToken: ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var now = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            for (var i = 0; i < 502; i++)
            {
                var title = i switch { 7 => "ÄRGER ÜBER STRAẞEN", 501 => "Harbour at DAWN", _ => $"Photo {i}" };
                var id = i.ToString("x24", System.Globalization.CultureInfo.InvariantCulture);
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO media ("StorageId", "Title", "AltText", "FileName", "ContentType", "Size", "Sha256", "Version",
                                       "StorageKey", "StorageProvider", "CreatedAt", "UpdatedAt", "Revision")
                    VALUES ({id}, {title}, {"Alt " + i}, {$"photo{i}.JPG"}, {"image/jpeg"}, {1000L + i}, {new string('0', 64)}, {1},
                            {id + "/1/original"}, {"local"}, {now.AddSeconds(i)}, {now.AddSeconds(i)}, {1})
                    """, ct);
            }
            await tx.CommitAsync(ct);
        }

        await using var app = new UpgradedApp(dir, database);
        await app.InitializeAsync();
        var client = app.CreateClient();

        async Task<List<string>> Titles(string search)
        {
            using var response = await client.GetAsync($"/api/media?page_size=200&search={Uri.EscapeDataString(search)}", ct);
            await response.ShouldBe(HttpStatusCode.OK);
            return (await response.ReadAsync<MediaListResponse>()).Results.Select(r => r.Title).ToList();
        }
        using (var all = await client.GetAsync("/api/media?page_size=1", ct))
            Assert.Equal(502, (await all.ReadAsync<MediaListResponse>()).Count); // the counts start from the rows already there
        Assert.Equal(["ÄRGER ÜBER STRAẞEN"], await Titles("ärger über straßen"));
        Assert.Equal(["Harbour at DAWN"], await Titles("harbour at dawn"));
        Assert.Equal(["Photo 123"], await Titles("PHOTO123.jpg"));
        Assert.Equal(["Photo 499"], await Titles("alt 499"));
        var stored = await app.WithDbAsync(db => db.Media.AsNoTracking().Where(m => m.Title == "Photo 499").Select(m => EF.Property<string>(m, "SearchText")).SingleAsync());
        Assert.Equal("photo 499\nalt 499\nphoto499.jpg", stored);
    }
}
