using MediaLibrary.Storage;
using MediaLibrary.Storage.Local;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Hosting;

/// <summary>
/// Unhealthy while the storage that takes new files cannot write, read and delete a small probe object (probed now and
/// then, see <see cref="WriteProbes"/>); Degraded while local storage's disk is nearly full.
/// </summary>
internal sealed class StorageHealthCheck(StorageRegistry storage, WriteProbes probes, IOptions<LocalStorageOptions> local) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
    {
        var store = storage.Active;
        if (await probes.RunAsync("storage", store.CheckAsync, ct) is { } failed)
            return HealthCheckResult.Unhealthy($"The {store.Provider} storage cannot write: {failed.Message}", failed);
        if (store.Provider == LocalBlobStore.ProviderName && DiskSpace.FreeBytes(local.Value.Root) is { } free && free < DiskSpace.LowBytes)
            return HealthCheckResult.Degraded($"The storage's disk is nearly full: {DiskSpace.Describe(free)} free in {local.Value.Root}.");
        return HealthCheckResult.Healthy();
    }
}
