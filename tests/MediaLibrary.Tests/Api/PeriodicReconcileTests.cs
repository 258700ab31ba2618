using MediaLibrary.Storage;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MediaLibrary.Tests.Api;

/// <summary>MEDIALIB_RECONCILE_INTERVAL_MINUTES: the server reconciles on its own.</summary>
public sealed class PeriodicReconcileTests(PeriodicReconcileTests.App app) : IClassFixture<PeriodicReconcileTests.App>
{
    public sealed class App : MediaLibraryApp
    {
        public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

        public App()
        {
            Set("MEDIALIB_RECONCILE_INTERVAL_MINUTES", "30");
            Set("MEDIALIB_RECONCILE_GRACE_MINUTES", "60");
        }

        protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Time);
    }

    [Fact]
    public async Task Server_RemovesOrphansOnItsOwnSchedule()
    {
        var media = await (await app.ClientAsync()).UploadAsync(TestFiles.Png(2, 2));
        var orphan = StorageKeys.Original(StorageKeys.NewId(), StorageKeys.NewId());
        await app.Storage.UploadAsync(orphan, new MemoryStream([1, 2, 3]), "application/octet-stream", TestContext.Current.CancellationToken);

        app.Time.Advance(TimeSpan.FromHours(2)); // past the grace period; the 30-minute timer fires
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && app.StoredKeys().Contains(orphan)) await Task.Delay(50, TestContext.Current.CancellationToken);

        Assert.DoesNotContain(orphan, app.StoredKeys());
        Assert.Contains(await app.StorageKeyAsync(media.Id), app.StoredKeys());
    }
}
