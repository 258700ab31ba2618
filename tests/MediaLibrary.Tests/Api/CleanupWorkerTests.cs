using System.Net;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Tests.Api;

/// <summary>The real background loop, on the real clock: a backlog left by an outage drains by itself.</summary>
public sealed class CleanupWorkerTests(CleanupWorkerTests.App app) : IClassFixture<CleanupWorkerTests.App>
{
    public sealed class App : MediaLibraryApp
    {
        public App()
        {
            Set("MEDIALIB_CLEANUP_INTERVAL_SECONDS", "1");
            Set("MEDIALIB_CLEANUP_BASE_DELAY_SECONDS", "0.2");
        }
    }

    [Fact]
    public async Task Worker_DrainsPendingDeletionsOnceStorageIsBack()
    {
        var client = await app.ClientAsync();
        var media = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => client.UploadAsync(TestFiles.Png(i + 2, 2))));
        app.Storage.FailDeletes = true;
        try
        {
            foreach (var m in media)
            {
                using var response = await client.DeleteAsync($"/api/media/{m.Id}", TestContext.Current.CancellationToken);
                await response.ShouldBe(HttpStatusCode.NoContent);
            }
            Assert.Equal(3, await app.WithDbAsync(db => db.PendingDeletions.CountAsync()));
        }
        finally
        {
            app.Storage.FailDeletes = false;
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && await app.WithDbAsync(db => db.PendingDeletions.CountAsync()) > 0)
            await Task.Delay(100, TestContext.Current.CancellationToken);

        Assert.Equal(0, await app.WithDbAsync(db => db.PendingDeletions.CountAsync()));
        Assert.Empty(app.StoredKeys());
    }
}
