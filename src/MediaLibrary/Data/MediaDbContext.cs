using MediaLibrary.Auth;
using MediaLibrary.Cleanup;
using MediaLibrary.Media;
using MediaLibrary.Uploads;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace MediaLibrary.Data;

/// <summary>The unit of work. One subclass per provider so that each keeps its own migrations.</summary>
public abstract class MediaDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<MediaItem> Media => Set<MediaItem>();
    public DbSet<PendingDeletion> PendingDeletions => Set<PendingDeletion>();
    public DbSet<ResumableUpload> ResumableUploads => Set<ResumableUpload>();

    private readonly List<Func<CancellationToken, Task>> _beforeSave = [];

    /// <summary>
    /// Work that must see the unit of work as it is about to be saved, and may add to it (a webhook event's snapshot of
    /// the media after the change): run once, in order, by the next SaveChangesAsync, inside the caller's transaction.
    /// </summary>
    public void BeforeNextSave(Func<CancellationToken, Task> work) => _beforeSave.Add(work);

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        while (_beforeSave.Count > 0)
        {
            var work = _beforeSave.ToList();
            _beforeSave.Clear();
            foreach (var step in work) await step(cancellationToken);
        }
        return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }
    public DbSet<User> Users => Set<User>();
    public DbSet<Session> Sessions => Set<Session>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<NodeProbe> NodeProbes => Set<NodeProbe>();
    public DbSet<SignInThrottle> SignInThrottles => Set<SignInThrottle>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<ReconcileCursor> ReconcileCursors => Set<ReconcileCursor>();
    public DbSet<Derivative> Derivatives => Set<Derivative>();
    public DbSet<MediaCount> MediaCounts => Set<MediaCount>();
    public DbSet<Folder> Folders => Set<Folder>();
    public DbSet<Tag> Tags => Set<Tag>();
    public DbSet<MediaTag> MediaTags => Set<MediaTag>();
    public DbSet<MediaReference> MediaReferences => Set<MediaReference>();
    public DbSet<HistoryEntry> History => Set<HistoryEntry>();
    public DbSet<Webhooks.WebhookEndpoint> WebhookEndpoints => Set<Webhooks.WebhookEndpoint>();
    public DbSet<Webhooks.WebhookEvent> WebhookEvents => Set<Webhooks.WebhookEvent>();
    public DbSet<Webhooks.WebhookDelivery> WebhookDeliveries => Set<Webhooks.WebhookDelivery>();

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        // Every timestamp is UTC; SQLite hands DateTime back as Unspecified.
        builder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<MediaItem>(e =>
        {
            e.ToTable("media");
            e.HasKey(x => x.Id);
            e.Property(x => x.StorageId).HasMaxLength(40);
            e.HasIndex(x => x.StorageId).IsUnique();
            e.Property(x => x.Title).HasMaxLength(MediaRules.MaxTitleLength);
            e.Property(x => x.AltText).HasMaxLength(MediaRules.MaxAltTextLength);
            e.Property(x => x.FileName).HasMaxLength(FileNames.MaxLength);
            e.Property(x => x.ContentType).HasMaxLength(127);
            e.Property(x => x.Sha256).HasMaxLength(64);
            e.Property(x => x.StorageKey).HasMaxLength(1024);
            e.Property(x => x.StorageProvider).HasMaxLength(32);
            e.Property(x => x.Revision).IsConcurrencyToken();
            e.Ignore(x => x.ETag);
            // Each ordering with the id that breaks its ties: a page after a cursor is one range in one index. The lists
            // show the library, not the trash, so these hold live media only; TrashedAt (always null in them) is a column
            // too, because SQLite counts an index as covering only when it holds every column the query names: a page by
            // number then skips through ids in the index alone, and a subtree's page sorts index entries, not rows.
            const string live = "\"TrashedAt\" IS NULL";
            e.HasIndex(x => new { x.CreatedAt, x.Id, x.TrashedAt }).HasFilter(live);
            e.HasIndex(x => new { x.Title, x.Id, x.TrashedAt }).HasFilter(live);
            e.HasIndex(x => new { x.Size, x.Id, x.TrashedAt }).HasFilter(live);
            e.HasIndex(x => x.ContentType);
            // A folder's page in each ordering is one range of one index. No foreign key: SQLite would rebuild the
            // table (and lose its triggers) to add one; the folder tree's lock keeps the reference true instead.
            e.HasIndex(x => new { x.FolderId, x.CreatedAt, x.Id, x.TrashedAt }).HasFilter(live);
            e.HasIndex(x => new { x.FolderId, x.Title, x.Id, x.TrashedAt }).HasFilter(live);
            e.HasIndex(x => new { x.FolderId, x.Size, x.Id, x.TrashedAt }).HasFilter(live);
            // The trash, newest first: a page is one range; the tag counts read only trashed rows. Its purge, longest due first.
            e.HasIndex(x => new { x.TrashedAt, x.Id }).HasFilter("\"TrashedAt\" IS NOT NULL");
            e.HasIndex(x => new { x.PurgeAt, x.Id }).HasFilter("\"PurgeAt\" IS NOT NULL");
            // Served by a trigram index that each migration creates itself (FTS5 table, pg_trgm GIN index).
            e.Property(x => x.SearchText).HasMaxLength(3000).UsePropertyAccessMode(PropertyAccessMode.Property);
            e.Property(x => x.Placeholder).HasMaxLength(2000);
            e.Property(x => x.DominantColor).HasMaxLength(7);
        });

        // Written only by the triggers each migration creates; read by the list.
        b.Entity<MediaCount>(e =>
        {
            e.ToTable("media_counts");
            e.HasKey(x => x.ContentType);
            e.Property(x => x.ContentType).HasMaxLength(127);
        });

        b.Entity<Derivative>(e =>
        {
            e.ToTable("derivatives");
            e.HasKey(x => x.Id);
            e.Property(x => x.Transform).HasMaxLength(100);
            e.Property(x => x.StorageKey).HasMaxLength(1024);
            e.Property(x => x.StorageProvider).HasMaxLength(32);
            e.Property(x => x.ContentType).HasMaxLength(127);
            e.HasIndex(x => new { x.MediaId, x.Transform }).IsUnique();
            e.HasIndex(x => x.StorageKey);
            // Restrict, not cascade: derivatives leave only through Derivatives.RetireAsync, which queues their objects.
            e.HasOne<MediaItem>().WithMany().HasForeignKey(x => x.MediaId).OnDelete(DeleteBehavior.Restrict);
        });

        b.Entity<PendingDeletion>(e =>
        {
            e.ToTable("pending_deletions");
            e.HasKey(x => x.Id);
            // A storage key, or for a cache purge the URL path, whose escaped file name can run to 255 × 9 characters.
            e.Property(x => x.StorageKey).HasMaxLength(4096);
            e.Property(x => x.Provider).HasMaxLength(32);
            e.Property(x => x.Reason).HasMaxLength(32);
            e.Property(x => x.LastError).HasMaxLength(2000);
            e.Property(x => x.UploadId).HasMaxLength(1024);
            // An upload cancels its entry at its commit only while no worker holds it (a worker may be deleting the object).
            e.Property(x => x.LeaseUntil).IsConcurrencyToken();
            e.HasIndex(x => new { x.Status, x.NextAttemptAt });
            e.HasIndex(x => x.StorageKey);
            // A webhook entry waits for the earlier ones of its media (CleanupQueue.DueAsync): a lookup per candidate.
            e.HasIndex(x => new { x.MediaId, x.Id });
        });

        b.Entity<ResumableUpload>(e =>
        {
            e.ToTable("resumable_uploads");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(32);
            e.Property(x => x.Owner).HasMaxLength(256);
            e.Property(x => x.FileName).HasMaxLength(255);
            e.Property(x => x.Title).HasMaxLength(16 * 1024);
            e.Property(x => x.AltText).HasMaxLength(16 * 1024);
            e.Property(x => x.FolderId).HasMaxLength(32);
            e.Property(x => x.Tags).HasMaxLength(16 * 1024);
            e.Property(x => x.StorageId).HasMaxLength(64);
            e.Property(x => x.StorageKey).HasMaxLength(1024);
            e.Property(x => x.Provider).HasMaxLength(32);
            e.Property(x => x.StorageUploadId).HasMaxLength(1024);
            e.Property(x => x.HashState).HasMaxLength(128);
            e.Property(x => x.ExpectedSha256).HasMaxLength(64);
            // An owner's unfinished uploads, counted against the limits; and the expiry pass.
            e.HasIndex(x => new { x.Owner, x.ExpiresAt });
            e.HasIndex(x => x.ExpiresAt);
        });

        b.Entity<IdempotencyRecord>(e =>
        {
            e.ToTable("idempotency_keys");
            e.HasKey(x => x.Id);
            e.Property(x => x.UserId).HasMaxLength(100);
            e.Property(x => x.Key).HasMaxLength(MediaRules.MaxIdempotencyKeyLength);
            e.Property(x => x.Fingerprint).HasMaxLength(64);
            e.HasIndex(x => new { x.UserId, x.Key }).IsUnique();
            e.HasIndex(x => x.CreatedAt);
            e.HasOne(x => x.Media).WithMany().HasForeignKey(x => x.MediaId).OnDelete(DeleteBehavior.SetNull);
        });

        b.Entity<ReconcileCursor>(e =>
        {
            e.ToTable("reconcile_cursors");
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasMaxLength(20);
            e.Property(x => x.Phase).HasMaxLength(20);
            e.Property(x => x.LastKey).HasMaxLength(1024);
        });

        b.Entity<User>(e =>
        {
            e.ToTable("users");
            e.HasKey(x => x.Id);
            e.Property(x => x.UserName).HasMaxLength(100);
            e.HasIndex(x => x.UserName).IsUnique();
            e.Property(x => x.PasswordHash).HasMaxLength(500);
            e.Property(x => x.Role).HasMaxLength(20);
            e.Property(x => x.SecurityStamp).HasMaxLength(32);
            e.Property(x => x.ExternalId).HasMaxLength(SingleSignOn.MaxExternalIdLength);
            e.HasIndex(x => x.ExternalId).IsUnique();
        });

        b.Entity<ApiKey>(e =>
        {
            e.ToTable("api_keys");
            e.HasKey(x => x.Id);
            e.Property(x => x.Name).HasMaxLength(Auth.ApiKeys.MaxNameLength);
            e.Property(x => x.LookupId).HasMaxLength(12);
            e.HasIndex(x => x.LookupId).IsUnique();
            e.Property(x => x.SecretHash).HasMaxLength(64);
            e.Property(x => x.Scopes).HasMaxLength(100);
            e.Property(x => x.CreatedBy).HasMaxLength(100);
            e.Ignore(x => x.Prefix);
            e.Ignore(x => x.ActorName);
        });

        b.Entity<Session>(e =>
        {
            e.ToTable("sessions");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(32);
            e.Property(x => x.SecurityStamp).HasMaxLength(32);
            e.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => x.UserId);
            e.HasIndex(x => x.ExpiresAt);
        });

        b.Entity<DataProtectionKey>(e => e.ToTable("data_protection_keys"));

        b.Entity<Folder>(e =>
        {
            e.ToTable("folders");
            e.HasKey(x => x.Id);
            e.Property(x => x.Name).HasMaxLength(FolderNames.MaxLength);
            e.Property(x => x.NameKey).HasMaxLength(FolderNames.MaxLength);
            e.Property(x => x.Path).HasMaxLength(1024);
            e.HasOne<Folder>().WithMany().HasForeignKey(x => x.ParentId).OnDelete(DeleteBehavior.Restrict);
            // Unique among siblings whatever the case; at the top (no parent) by a filtered index, as NULLs never collide.
            e.HasIndex(x => new { x.ParentId, x.NameKey }).IsUnique();
            e.HasIndex(x => x.NameKey).IsUnique().HasFilter("\"ParentId\" IS NULL").HasDatabaseName("IX_folders_NameKey_top");
            e.HasIndex(x => x.Path);
        });

        b.Entity<Tag>(e =>
        {
            e.ToTable("tags");
            e.HasKey(x => x.Id);
            e.Property(x => x.Name).HasMaxLength(TagNames.MaxLength);
            e.Property(x => x.Key).HasMaxLength(TagNames.MaxLength * 3);
            e.HasIndex(x => x.Key).IsUnique();
        });

        b.Entity<MediaTag>(e =>
        {
            e.ToTable("media_tags");
            // A tag's media are one range of the key; a media's tags are one range of the other index.
            e.HasKey(x => new { x.TagId, x.MediaId });
            e.HasIndex(x => new { x.MediaId, x.TagId });
            // A new table pointing at media: SQLite adds it without touching the media table (and its triggers).
            e.HasOne(x => x.Media).WithMany().HasForeignKey(x => x.MediaId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Tag>().WithMany().HasForeignKey(x => x.TagId).OnDelete(DeleteBehavior.Restrict);
        });

        b.Entity<MediaReference>(e =>
        {
            e.ToTable("media_references");
            // A media's references are one range of the key; a referrer's media (a sync) are one range of the other index.
            e.HasKey(x => new { x.MediaId, x.Key });
            e.HasIndex(x => new { x.Key, x.MediaId });
            e.Property(x => x.Key).HasMaxLength(MediaLibrary.Media.MediaReferences.MaxKeyLength);
            e.Property(x => x.Label).HasMaxLength(MediaLibrary.Media.MediaReferences.MaxLabelLength);
            e.Property(x => x.Url).HasMaxLength(MediaLibrary.Media.MediaReferences.MaxUrlLength);
            e.HasOne<MediaItem>().WithMany().HasForeignKey(x => x.MediaId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<HistoryEntry>(e =>
        {
            e.ToTable("media_history");
            e.HasKey(x => x.Id);
            e.Property(x => x.Action).HasMaxLength(32);
            e.Property(x => x.Actor).HasMaxLength(100);
            e.Property(x => x.RequestId).HasMaxLength(64);
            e.Property(x => x.ClientAddress).HasMaxLength(64);
            e.Property(x => x.Details).HasMaxLength(MediaHistory.MaxDetailsLength);
            // Newest first, each list one range of one index: a media's history, an actor's, an action's, a time range.
            // No foreign key to media: the history of a media outlives it.
            e.HasIndex(x => new { x.MediaId, x.At, x.Id });
            e.HasIndex(x => new { x.Actor, x.At, x.Id });
            e.HasIndex(x => new { x.Action, x.At, x.Id });
            e.HasIndex(x => new { x.At, x.Id });
        });

        b.Entity<Webhooks.WebhookEndpoint>(e =>
        {
            e.ToTable("webhook_endpoints");
            e.HasKey(x => x.Id);
            e.Property(x => x.Url).HasMaxLength(Webhooks.WebhookTargets.MaxUrlLength);
            e.Property(x => x.Description).HasMaxLength(Webhooks.WebhookRegistry.MaxDescriptionLength);
            e.Property(x => x.Events).HasMaxLength(500);
            e.Property(x => x.ProtectedSecret).HasMaxLength(1000);
            e.Property(x => x.CreatedBy).HasMaxLength(100);
        });

        b.Entity<Webhooks.WebhookEvent>(e =>
        {
            e.ToTable("webhook_events");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.Type).HasMaxLength(40);
            e.Property(x => x.Action).HasMaxLength(32);
            e.Property(x => x.Actor).HasMaxLength(100);
            e.Property(x => x.RequestId).HasMaxLength(64);
            e.HasIndex(x => x.CreatedAt);
        });

        b.Entity<Webhooks.WebhookDelivery>(e =>
        {
            e.ToTable("webhook_deliveries");
            e.HasKey(x => x.Id);
            e.Property(x => x.EventId).HasMaxLength(40);
            e.Property(x => x.EventType).HasMaxLength(40);
            e.Property(x => x.LastResponse).HasMaxLength(Webhooks.WebhookSender.MaxResponseChars);
            e.Property(x => x.LastError).HasMaxLength(2000);
            e.HasOne<Webhooks.WebhookEvent>().WithMany().HasForeignKey(x => x.EventId).OnDelete(DeleteBehavior.Cascade);
            // No foreign key to the endpoint: a change committing on a node that has not yet seen the endpoint's deletion
            // must not fail for it. The sender drops a delivery whose endpoint is gone.
            e.HasIndex(x => new { x.EventId, x.EndpointId }).IsUnique();
            e.HasIndex(x => new { x.EndpointId, x.Id });
            e.HasIndex(x => new { x.EndpointId, x.MediaId, x.Status, x.Id });
            e.HasIndex(x => new { x.Status, x.CreatedAt });
        });

        b.Entity<NodeProbe>(e =>
        {
            e.ToTable("node_probes");
            e.HasKey(x => x.Node);
            e.Property(x => x.Node).HasMaxLength(200);
        });

        b.Entity<SignInThrottle>(e =>
        {
            e.ToTable("sign_in_throttles");
            e.HasKey(x => x.UserName);
            e.Property(x => x.UserName).HasMaxLength(100);
            e.HasIndex(x => x.LastFailureAt);
        });
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
