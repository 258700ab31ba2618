using System.Net;
using MediaLibrary.Media;
using MediaLibrary.Storage;
using MediaLibrary.Storage.S3;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MediaLibrary.Tests.Api;

/// <summary>storage migrate: local → S3 with both configured; URLs and bytes stay, old copies leave.</summary>
public sealed class MigrationTests(MigrationTests.App app) : IClassFixture<MigrationTests.App>
{
    public sealed class App : MediaLibraryApp
    {
        public S3BlobStore S3 { get; private set; } = null!;

        public override async ValueTask InitializeAsync()
        {
            var server = await S3Server.GetAsync();
            S3 = new S3BlobStore(Microsoft.Extensions.Options.Options.Create(server.Options(await server.CreateBucketAsync())));
            await base.InitializeAsync();
        }

        protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton<IBlobStore>(S3);

        public async Task<MigrationReport> MigrateAsync(bool apply)
        {
            await using var scope = Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<StorageMigration>().RunAsync("s3", apply, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Migrate_DryRunChangesNothing_ApplyMovesEveryFileVerified_AndRunsAgainAsANoOp()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = await app.ClientAsync();
        var files = Enumerable.Range(1, 3).Select(i => TestFiles.Png(i * 3, 2)).ToList();
        var media = new List<MediaLibrary.Delivery.MediaResponse>();
        foreach (var f in files) media.Add(await client.UploadAsync(f));
        var localKeys = app.StoredKeys();

        var dryRun = await app.MigrateAsync(apply: false);
        Assert.Equal(3, dryRun.ToMove);
        Assert.Equal(files.Sum(f => (long)f.Length), dryRun.Bytes);
        Assert.Equal(localKeys, app.StoredKeys());

        var applied = await app.MigrateAsync(apply: true);
        Assert.Equal(3, applied.Moved);
        Assert.Empty(applied.Failures);
        Assert.Empty(app.StoredKeys()); // the local copies went through the cleanup path
        Assert.Equal(0, await app.WithDbAsync(db => db.PendingDeletions.CountAsync()));
        var rows = await app.WithDbAsync(db => db.Media.AsNoTracking().ToListAsync());
        Assert.All(rows, r => Assert.Equal("s3", r.StorageProvider));
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await app.S3.ExistsAsync(rows.Single(r => r.Id == media[i].Id).StorageKey, ct));
            // Same URL, same bytes: a move is invisible to the website.
            using var response = await client.GetAsync(HttpExtensions.PathOf(media[i].Url), ct);
            await response.ShouldBe(HttpStatusCode.OK);
            Assert.Equal(files[i], await response.Content.ReadAsByteArrayAsync(ct));
        }

        var again = await app.MigrateAsync(apply: true);
        Assert.Equal(0, again.ToMove);

        // Deleting a migrated media removes its object from S3.
        var key = rows.Single(r => r.Id == media[0].Id).StorageKey;
        using var delete = await client.DeleteAsync($"/api/media/{media[0].Id}", ct);
        await delete.ShouldBe(HttpStatusCode.NoContent);
        Assert.False(await app.S3.ExistsAsync(key, ct));
    }

    [Fact]
    public async Task Migrate_ACopyThatDoesNotMatch_IsRemovedFromTheTarget_AndTheRowStaysWhereItWas()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = await app.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Png(7, 5), "stays.png");
        var row = await app.WithDbAsync(db => db.Media.AsNoTracking().SingleAsync(m => m.Id == media.Id));
        var path = Path.Combine(app.StorageRoot, row.StorageKey);

        // The local file changed behind the service's back (same size): the copy's SHA-256 does not match the row.
        var original = await File.ReadAllBytesAsync(path, ct);
        var tampered = original.ToArray();
        tampered[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(path, tampered, ct);
        try
        {
            var report = await app.MigrateAsync(apply: true);
            Assert.Contains(report.Failures, f => f.Contains($"media {media.Id}", StringComparison.Ordinal) && f.Contains("does not match", StringComparison.Ordinal));
        }
        finally
        {
            await File.WriteAllBytesAsync(path, original, ct);
        }
        Assert.Equal("local", await app.WithDbAsync(db => db.Media.Where(m => m.Id == media.Id).Select(m => m.StorageProvider).SingleAsync()));
        Assert.Empty(await S3KeysAsync(row.StorageId));
        Assert.Equal(0, await app.WithDbAsync(db => db.PendingDeletions.CountAsync()));

        // Leave the shared app as it was found (the other test counts the local files it migrates), and show the
        // media that stayed behind still deletes from where it lives.
        using var delete = await client.DeleteAsync($"/api/media/{media.Id}", ct);
        await delete.ShouldBe(HttpStatusCode.NoContent);
        Assert.False(File.Exists(path));
    }

    private async Task<List<string>> S3KeysAsync(string storageId) =>
        await app.S3.ListAsync(storageId + "/", null, CancellationToken.None).Select(i => i.Key).ToListAsync();
}
