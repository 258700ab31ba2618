using MediaLibrary.Cleanup;
using MediaLibrary.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Webhooks;

/// <summary>
/// Forgets delivered and dead deliveries older than MEDIALIB_WEBHOOK_RETENTION_DAYS, and then the events that no
/// delivery names any more, on every cleanup pass, a batch at a time. Pending ones stay however old they are.
/// </summary>
public sealed class WebhookRetention(MediaDbContext db, IOptions<WebhookOptions> options, TimeProvider time) : ICleanupPass
{
    private const int Batch = 1000;

    public async Task RunAsync(CancellationToken ct)
    {
        var cutoff = time.GetUtcNow().UtcDateTime.AddDays(-options.Value.RetentionDays);
        for (var round = 0; round < 20; round++)
        {
            var ids = db.WebhookDeliveries.Where(d => d.CreatedAt < cutoff && d.Status != WebhookDeliveryStatus.Pending)
                .OrderBy(d => d.Id).Select(d => d.Id).Take(Batch);
            if (await db.WebhookDeliveries.Where(d => ids.Contains(d.Id)).ExecuteDeleteAsync(ct) < Batch) break;
        }
        for (var round = 0; round < 20; round++)
        {
            var events = db.WebhookEvents.Where(e => e.CreatedAt < cutoff && !db.WebhookDeliveries.Any(d => d.EventId == e.Id))
                .OrderBy(e => e.CreatedAt).Select(e => e.Id).Take(Batch);
            if (await db.WebhookEvents.Where(e => events.Contains(e.Id)).ExecuteDeleteAsync(ct) < Batch) break;
        }
    }
}
