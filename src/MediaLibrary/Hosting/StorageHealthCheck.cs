using MediaLibrary.Storage;
using MediaLibrary.Storage.Local;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Hosting;

/// <summary>
/// Unhealthy while the storage that takes new files cannot write, read and delete a small probe object (probed now and
/// then, see <see cref="WriteProbes"/>); Degraded while local storage's disk is nearly full.
/// </summary>
internal sealed class StorageHealthCheck(StorageRegistry storage, WriteProbes probes, IOptions<LocalStorageOptions> local, IOptions<HealthOptions> health)
    : IHealthCheck
{
    public const string Probe = "storage";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
    {
        var store = storage.Active;
        if (await probes.RunAsync(Probe, store.CheckAsync, ct) is { } failed)
            return HealthCheckResult.Unhealthy(
                $"The {store.Provider} storage cannot write: {(failed is StorageException { DiskFull: true } ? "its disk is full." : failed.Message)}", failed);
        if (store.Provider == LocalBlobStore.ProviderName && DiskSpace.FreeBytes(local.Value.Root) is var free && health.Value.IsLow(free))
            return HealthCheckResult.Degraded($"The storage's disk is nearly full: {DiskSpace.Describe(free!.Value)} free in {local.Value.Root}.");
        return HealthCheckResult.Healthy();
    }
}
