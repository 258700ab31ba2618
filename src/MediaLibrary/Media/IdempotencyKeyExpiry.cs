using MediaLibrary.Cleanup;
using MediaLibrary.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Media;

/// <summary>Forgets Idempotency-Keys older than MEDIALIB_IDEMPOTENCY_HOURS, on every cleanup pass.</summary>
public sealed class IdempotencyKeyExpiry(MediaDbContext db, IOptions<MediaOptions> options, TimeProvider time) : ICleanupPass
{
    public Task RunAsync(CancellationToken ct)
    {
        var cutoff = time.GetUtcNow().UtcDateTime.AddHours(-options.Value.IdempotencyHours);
        return db.IdempotencyRecords.Where(r => r.CreatedAt < cutoff).ExecuteDeleteAsync(ct);
    }
}
