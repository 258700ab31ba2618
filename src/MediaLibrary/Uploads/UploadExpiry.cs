using MediaLibrary.Cleanup;
using MediaLibrary.Data;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Uploads;

/// <summary>
/// Forgets resumable uploads past their expiry on every cleanup pass: an unfinished one's bytes leave storage through
/// its own queue entry, which falls due at the same moment; a finished one is only the record of what it became.
/// </summary>
public sealed class UploadExpiry(MediaDbContext db, TimeProvider time) : ICleanupPass
{
    public async Task RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await db.ResumableUploads.Where(u => u.ExpiresAt < now && (u.LeaseUntil == null || u.LeaseUntil < now)).ExecuteDeleteAsync(ct);
    }
}
