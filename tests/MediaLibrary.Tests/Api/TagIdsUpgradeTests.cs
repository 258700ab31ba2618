using MediaLibrary.Api;
using MediaLibrary.Data;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MediaLibrary.Tests.Api;

/// <summary>
/// A PostgreSQL library tagged before media kept a copy of their tag ids: the upgrade copies every media's links, so the
/// lists that test tags in the copy find what they found before.
/// </summary>
public sealed class TagIdsUpgradeTests
{
    private sealed class UpgradedApp : MediaLibraryApp
    {
        public UpgradedApp(string dataDir, string database) : base(dataDir) => Set("MEDIALIB_DATABASE", database);
    }

    [Fact]
    public async Task LinksWrittenBeforeTheCopy_AreCopied_AndTheListsByTwoTagsFindThem()
    {
        var ct = TestContext.Current.CancellationToken;
        var dir = Path.Combine(Path.GetTempPath(), "medialib-test-" + Guid.NewGuid().ToString("n")[..12]);
        Directory.CreateDirectory(dir);
        var database = await (await PostgresServer.GetAsync()).CreateDatabaseAsync();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["MEDIALIB_DATABASE"] = database }).Build();

        // The schema as the previous release left it: 30 media, each tagged "every" and the even ones "even" too.
        await using (var services = new ServiceCollection().AddMediaDatabase(DatabaseSettings.From(DataOptions.From(config), dir)).BuildServiceProvider())
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MediaDbContext>();
            var migrations = db.Database.GetMigrations().ToList();
            var before = migrations[migrations.FindIndex(m => m.EndsWith("_MediaTagIds", StringComparison.Ordinal)) - 1];
            await db.GetService<IMigrator>().MigrateAsync(before, cancellationToken: ct);
            var now = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO tags ("Id", "Name", "Key", "CreatedAt") VALUES (1, 'Every', 'every', {now}), (2, 'Even', 'even', {now}), (3, 'None', 'none', {now})
                """, ct);
            for (var i = 1; i <= 30; i++)
            {
                var id = i.ToString("x24", System.Globalization.CultureInfo.InvariantCulture);
                var title = i % 3 == 0 ? $"Harbour {i}" : $"Meadow {i}";
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO media ("Id", "StorageId", "Title", "AltText", "FileName", "ContentType", "Size", "Sha256", "Version",
                                       "StorageKey", "StorageProvider", "CreatedAt", "UpdatedAt", "Revision", "SearchText")
                    VALUES ({(long)i}, {id}, {title}, {""}, {$"p{i}.jpg"}, {"image/jpeg"}, {1000L + i}, {new string('0', 64)}, {1},
                            {id + "/1/original"}, {"local"}, {now.AddSeconds(i)}, {now.AddSeconds(i)}, {1}, {title.ToLowerInvariant() + "\n\np" + i + ".jpg"})
                    """, ct);
                await db.Database.ExecuteSqlAsync($"""INSERT INTO media_tags ("MediaId", "TagId") VALUES ({(long)i}, {1L})""", ct);
                if (i % 2 == 0) await db.Database.ExecuteSqlAsync($"""INSERT INTO media_tags ("MediaId", "TagId") VALUES ({(long)i}, {2L})""", ct);
            }
        }

        await using var app = new UpgradedApp(dir, database);
        await app.InitializeAsync();
        var client = app.CreateClient();
        var even = Enumerable.Range(1, 30).Where(i => i % 2 == 0).Reverse().Select(i => (long)i).ToList();
        Assert.Equal(even, await client.ListIdsAsync("tag=every&tag=even"));
        Assert.Equal(even, await client.ListIdsAsync("tag=even&tag=every"));
        Assert.Equal([30L, 24, 18, 12, 6], await client.ListIdsAsync("tag=even&tag=every&search=harbour"));
        Assert.Empty(await client.ListIdsAsync("tag=every&tag=none"));
        var copies = await app.WithDbAsync(db => db.Media.OrderBy(m => m.Id).Select(m => m.TagIds).ToListAsync(ct));
        Assert.Equal(Enumerable.Range(1, 30).Select(i => i % 2 == 0 ? new long[] { 1, 2 } : [1]), copies);
    }
}
