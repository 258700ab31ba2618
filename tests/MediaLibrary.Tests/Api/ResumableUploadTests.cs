using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using MediaLibrary.Api;
using MediaLibrary.Auth;
using MediaLibrary.Cleanup;
using MediaLibrary.Delivery;
using MediaLibrary.Tests.Infrastructure;
using static MediaLibrary.Tests.Infrastructure.TusRequests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MediaLibrary.Tests.Api;

/// <summary>
/// Resumable uploads (tus 1.0) on SQLite and PostgreSQL: a file sent in pieces becomes media through the upload's
/// checks, hashed as it arrived; offsets, checksums and the protocol's version are enforced; an upload survives a
/// restart; terminated or expired, its bytes leave storage through its queue entry; the owner's limits hold.
/// </summary>
public abstract class ResumableUploadTests(ResumableUploadTests.App app)
{
    public class App : MediaLibraryApp
    {
        public App() : this(null, null)
        {
        }

        /// <summary>With a data folder and database: a restart over an earlier instance's.</summary>
        protected App(string? dataDir, string? database) : base(dataDir)
        {
            if (database is not null) Set("MEDIALIB_DATABASE", database);
            Set("MEDIALIB_UPLOAD_MAX_PENDING", "3");
            Set("MEDIALIB_UPLOAD_MAX_PENDING_BYTES", (5 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

        protected override void ConfigureTestServices(IServiceCollection services)
        {
            services.AddSingleton<TimeProvider>(Time);
            // The queue and the expiry run when a test says so, not on the worker's timer.
            foreach (var worker in services.Where(d => d.ImplementationType == typeof(CleanupWorker)).ToList()) services.Remove(worker);
        }

        /// <summary>What the worker does on a pass: the due entries, then the features' housekeeping.</summary>
        public async Task CleanupPassAsync()
        {
            await using var scope = Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<CleanupQueue>().ProcessDueAsync(1000, null, CancellationToken.None);
            foreach (var pass in scope.ServiceProvider.GetServices<ICleanupPass>()) await pass.RunAsync(CancellationToken.None);
        }
    }

    public sealed class PostgresApp : App
    {
        public override bool UsePostgres => true;
    }

    /// <summary>A new process over an earlier one's data folder and database.</summary>
    private sealed class Restarted(App earlier) : App(earlier.DataDir, earlier.Database)
    {
        public override bool UsePostgres => earlier.UsePostgres;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AFileInPieces_BecomesMedia_HashedAsItArrived_WithItsFields()
    {
        var client = await app.ClientAsync();
        using (var options = await app.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Options, "/api/uploads"), Ct))
        {
            await options.ShouldBe(HttpStatusCode.NoContent);
            Assert.Equal("1.0.0", Header(options, "Tus-Version"));
            Assert.Equal("creation,creation-with-upload,termination,expiration,checksum", Header(options, "Tus-Extension"));
            Assert.Equal((2 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), Header(options, "Tus-Max-Size"));
            Assert.Equal("sha256", Header(options, "Tus-Checksum-Algorithm"));
        }

        var file = TestFiles.Jpeg(900, 600, seed: 41);
        var tag = "pier" + Guid.NewGuid().ToString("n")[..6];
        var url = await CreateAsync(client, file.Length, Metadata(("filename", "../Harbour at dusk.jpg"), ("title", "Harbour at dusk"),
            ("alt_text", "Boats in the harbour"), ("tags", tag + ", evening")));
        Assert.Matches("^/api/uploads/[0-9a-f]{32}$", url);
        var third = file.Length / 3;
        using (var head = await HeadAsync(client, url))
        {
            await head.ShouldBe(HttpStatusCode.OK);
            Assert.Equal(("0", file.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)), (Header(head, "Upload-Offset"), Header(head, "Upload-Length")));
            Assert.Equal("no-store", head.Headers.CacheControl?.ToString());
        }

        using (var first = await PatchAsync(client, url, file[..third], 0, Sha256Header(file.AsSpan(0, third))))
        {
            await first.ShouldBe(HttpStatusCode.NoContent);
            Assert.Equal(third.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(first, "Upload-Offset"));
            Assert.NotNull(Header(first, "Upload-Expires"));
        }
        // A piece at the wrong offset, and one whose checksum is wrong: refused, nothing kept.
        using (var wrongOffset = await PatchAsync(client, url, file[third..(2 * third)], 0))
            Assert.Equal(third, (await wrongOffset.ProblemAsync(HttpStatusCode.Conflict)).GetProperty("offset").GetInt64());
        using (var wrongChecksum = await PatchAsync(client, url, file[third..(2 * third)], third, Sha256Header(file.AsSpan(0, third))))
            await wrongChecksum.ProblemAsync((HttpStatusCode)460);
        using (var head = await HeadAsync(client, url)) Assert.Equal(third.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(head, "Upload-Offset"));

        using (var second = await PatchAsync(client, url, file[third..(2 * third)], third)) await second.ShouldBe(HttpStatusCode.NoContent);
        Assert.Contains(app.TempFiles(), f => new FileInfo(f).Length == 2 * third); // the pieces wait in a temporary file of the storage
        long mediaId;
        using (var last = await PatchAsync(client, url, file[(2 * third)..], 2 * third))
        {
            await last.ShouldBe(HttpStatusCode.NoContent);
            Assert.Equal(file.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(last, "Upload-Offset"));
            mediaId = long.Parse(Header(last, UploadEndpoints.MediaIdHeader)!, System.Globalization.CultureInfo.InvariantCulture);
        }

        var media = await client.GetFromJsonAsync<MediaResponse>($"/api/media/{mediaId}", HttpExtensions.Json, Ct);
        Assert.Equal((Convert.ToHexStringLower(SHA256.HashData(file)), (long)file.Length, "image/jpeg"), (media!.Sha256, media.Size, media.ContentType));
        Assert.Equal(("Harbour at dusk", "Boats in the harbour", "Harbour at dusk.jpg"), (media.Title, media.AltText, media.FileName));
        Assert.Equal([tag, "evening"], media.Tags.Order(StringComparer.Ordinal).Reverse());
        Assert.Equal((900, 600), (media.Width, media.Height)); // analysed as an upload is
        var key = await app.StorageKeyAsync(mediaId);
        Assert.Equal(file, await app.ReadStoredAsync(key));
        Assert.DoesNotContain(app.TempFiles(), f => new FileInfo(f).Length == 2 * third);
        Assert.Equal(0, await app.WithDbAsync(db => db.PendingDeletions.CountAsync(p => p.StorageKey == key)));

        // Asked again (a client that lost the last answer), the upload names its media; a further piece is refused.
        using (var head = await HeadAsync(client, url))
            Assert.Equal((file.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), mediaId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                (Header(head, "Upload-Offset"), Header(head, UploadEndpoints.MediaIdHeader)));
        using (var again = await PatchAsync(client, url, [1], file.Length)) await again.ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task AWholeFileWithItsCreation_IsMediaAtOnce()
    {
        var client = await app.ClientAsync();
        var file = TestFiles.Png(12, 8);
        using var request = Tus(HttpMethod.Post, "/api/uploads", file);
        request.Headers.Add("Upload-Length", file.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("Upload-Metadata", Metadata(("filename", "dot.png")));
        using var response = await client.SendAsync(request, Ct);
        await response.ShouldBe(HttpStatusCode.Created);
        var id = long.Parse(Header(response, UploadEndpoints.MediaIdHeader)!, System.Globalization.CultureInfo.InvariantCulture);
        var media = await client.GetFromJsonAsync<MediaResponse>($"/api/media/{id}", HttpExtensions.Json, Ct);
        Assert.Equal(("dot", "dot.png", "image/png"), (media!.Title, media.FileName, media.ContentType));
    }

    [Fact]
    public async Task BadRequests_AreRefused_WithProblems_AndChangeNothing()
    {
        var client = await app.ClientAsync();
        var keysBefore = app.StoredKeys();
        var tempBefore = app.TempFiles();
        var entriesBefore = await app.WithDbAsync(db => db.PendingDeletions.CountAsync());
        using (var noVersion = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/uploads") { Headers = { { "Upload-Length", "10" } } }, Ct))
        {
            await noVersion.ProblemAsync(HttpStatusCode.PreconditionFailed);
            Assert.Equal("1.0.0", Header(noVersion, "Tus-Version"));
        }
        using (var anonymous = await app.CreateClient().SendAsync(Tus(HttpMethod.Post, "/api/uploads"), Ct))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        // Direct uploads are S3's: local storage has no URLs to hand out.
        using (var direct = await client.PostAsJsonAsync("/api/uploads/direct", new { file_name = "a.pdf", size = 10 }, Ct))
            await direct.ProblemAsync(HttpStatusCode.NotImplemented);

        async Task<HttpResponseMessage> Create(string length, string? metadata = null)
        {
            var request = Tus(HttpMethod.Post, "/api/uploads");
            request.Headers.Add("Upload-Length", length);
            if (metadata is not null) request.Headers.Add("Upload-Metadata", metadata);
            return await client.SendAsync(request, Ct);
        }
        using (var tooLarge = await Create((3 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture)))
            await tooLarge.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        foreach (var (length, metadata) in new[] { ("-1", null), ("ten", null), ("0", null), ("10", "title !!!"), ("10", "title a b"),
            ("10", Metadata(("title", new string('x', 1001)))), ("10", Metadata(("folder_id", "a folder"))), ("10", "title dGl0bGU=,title dGl0bGU=") })
        {
            using var refused = await Create(length, metadata);
            await refused.ProblemAsync(HttpStatusCode.BadRequest);
        }

        var file = TestFiles.Png(6, 6);
        var url = await CreateAsync(client, file.Length);
        using (var notAPiece = await client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, url)
        {
            Headers = { { "Tus-Resumable", "1.0.0" }, { "Upload-Offset", "0" } }, Content = new ByteArrayContent(file),
        }, Ct))
            await notAPiece.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        using (var tooLong = await PatchAsync(client, url, [.. file, 1, 2, 3], 0)) await tooLong.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        // A length other than the one it was created with: refused, the piece not kept (the same one is accepted).
        using (var changed = Tus(HttpMethod.Patch, url, file, 0))
        {
            changed.Headers.Add("Upload-Length", (file.Length + 10).ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var refused = await client.SendAsync(changed, Ct);
            await refused.ProblemAsync(HttpStatusCode.BadRequest);
        }
        using (var head = await HeadAsync(client, url)) Assert.Equal("0", Header(head, "Upload-Offset"));
        // Another user's upload does not exist for them.
        var other = await app.ClientAsync(Roles.Admin);
        using (var notTheirs = await PatchAsync(other, url, file, 0)) await notTheirs.ProblemAsync(HttpStatusCode.NotFound);
        using (var head = await HeadAsync(other, url)) Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        await TerminateAsync(client, url);

        // A type the allow-list refuses, found from the bytes at the last piece: 415, and nothing of it is left.
        var html = TestFiles.Html();
        var page = await CreateAsync(client, html.Length, Metadata(("filename", "page.png")));
        using (var refused = await PatchAsync(client, page, html, 0)) await refused.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        using (var head = await HeadAsync(client, page)) Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Equal(tempBefore, app.TempFiles());
        Assert.Equal(keysBefore, app.StoredKeys());
        Assert.Equal(entriesBefore, await app.WithDbAsync(db => db.PendingDeletions.CountAsync()));
    }

    [Fact]
    public async Task Terminated_OrExpired_AnUploadsBytesLeaveStorage_ThroughItsEntry()
    {
        var client = await app.ClientAsync();
        var file = TestFiles.Random(4000, seed: 5);
        var tempBefore = app.TempFiles();
        var url = await CreateAsync(client, file.Length, Metadata(("filename", "notes.txt")));
        using (var half = await PatchAsync(client, url, file[..2000], 0)) await half.ShouldBe(HttpStatusCode.NoContent);
        Assert.Single(app.TempFiles().Except(tempBefore));
        // The reconciler does not take the waiting bytes for an orphan: the upload's entry covers them.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var report = await scope.ServiceProvider.GetRequiredService<Reconciler>().RunAsync(new ReconcileRequest(false, TimeSpan.Zero, 500), Ct);
            Assert.Empty(report.StaleUploads);
        }
        await TerminateAsync(client, url);
        Assert.Equal(tempBefore, app.TempFiles());
        using (var head = await HeadAsync(client, url)) Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.ResumableUploads.CountAsync(u => "/api/uploads/" + u.Id == url)));

        // Left alone: after MEDIALIB_UPLOAD_EXPIRY_HOURS (24) from its last piece, its entry deletes the bytes and the pass forgets it.
        var idle = await CreateAsync(client, file.Length);
        using (var half = await PatchAsync(client, idle, file[..1000], 0)) await half.ShouldBe(HttpStatusCode.NoContent);
        app.Time.Advance(TimeSpan.FromHours(23));
        await app.CleanupPassAsync();
        Assert.Single(app.TempFiles().Except(tempBefore));
        app.Time.Advance(TimeSpan.FromHours(2));
        await app.CleanupPassAsync();
        Assert.Empty(app.TempFiles());
        Assert.Equal(0, await app.WithDbAsync(db => db.ResumableUploads.CountAsync(u => u.MediaId == null)));
        client = await app.ClientAsync(); // a token of the new time
        using (var head = await HeadAsync(client, idle)) Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task APieceCutShort_KeepsWhatArrived_AndTheUploadGoesOnAfterARestart()
    {
        var client = await app.ClientAsync();
        var file = TestFiles.Jpeg(640, 480, seed: 43);
        var url = await CreateAsync(client, file.Length, Metadata(("filename", "resumed.jpg")));
        // The connection drops after 5,000 bytes of the piece: Kestrel's body read then fails with an IOException.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var uploads = scope.ServiceProvider.GetRequiredService<MediaLibrary.Uploads.ResumableUploads>();
            var id = url["/api/uploads/".Length..];
            var upload = await app.WithDbAsync(db => db.ResumableUploads.AsNoTracking().SingleAsync(u => u.Id == id));
            await Assert.ThrowsAsync<OperationCanceledException>(() => uploads.AppendAsync(upload, 0, new DroppingStream(file, 5000), null, Ct));
        }
        long offset;
        using (var head = await HeadAsync(client, url))
            offset = long.Parse(Header(head, "Upload-Offset")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(5000, offset);

        // The rest, to a new process over the same data: the hash goes on from its saved state.
        var restarted = new Restarted(app);
        await restarted.InitializeAsync();
        try
        {
            var again = await restarted.ClientAsync();
            using var rest = await PatchAsync(again, url, file[(int)offset..], offset);
            await rest.ShouldBe(HttpStatusCode.NoContent);
            var id = long.Parse(Header(rest, UploadEndpoints.MediaIdHeader)!, System.Globalization.CultureInfo.InvariantCulture);
            var media = await again.GetFromJsonAsync<MediaResponse>($"/api/media/{id}", HttpExtensions.Json, Ct);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(file)), media!.Sha256);
            Assert.Equal(file, await restarted.ReadStoredAsync(await restarted.StorageKeyAsync(id)));
        }
        finally
        {
            restarted.KeepData = true; // the fixture's own data
            await restarted.DisposeAsync();
        }
    }

    [Fact]
    public async Task ALastPieceAnsweredWithAnOutage_IsFinishedByAnEmptyPieceAtTheEnd()
    {
        var client = await app.ClientAsync();
        var file = TestFiles.Jpeg(320, 240, seed: 47);
        var url = await CreateAsync(client, file.Length, Metadata(("filename", "retry.jpg")));
        // The storage fails as the finished file is read for its analysis: the answer is an outage, and nothing is lost.
        var failed = 0;
        app.Storage.AfterOpenRead = _ => Interlocked.Exchange(ref failed, 1) == 0
            ? throw new MediaLibrary.Storage.StorageException("local", "k", "Injected: storage unreachable.") : Task.CompletedTask;
        try
        {
            using var last = await PatchAsync(client, url, file, 0);
            await last.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        }
        finally
        {
            app.Storage.AfterOpenRead = null;
        }
        using (var head = await HeadAsync(client, url))
        {
            Assert.Equal(file.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(head, "Upload-Offset"));
            Assert.Null(Header(head, UploadEndpoints.MediaIdHeader));
        }
        using (var extra = await PatchAsync(client, url, [1], file.Length)) await extra.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        using var finish = await PatchAsync(client, url, [], file.Length);
        await finish.ShouldBe(HttpStatusCode.NoContent);
        var id = long.Parse(Header(finish, UploadEndpoints.MediaIdHeader)!, System.Globalization.CultureInfo.InvariantCulture);
        var media = await client.GetFromJsonAsync<MediaResponse>($"/api/media/{id}", HttpExtensions.Json, Ct);
        Assert.Equal((Convert.ToHexStringLower(SHA256.HashData(file)), 320), (media!.Sha256, media.Width));
        Assert.Equal(file, await app.ReadStoredAsync(await app.StorageKeyAsync(id)));
    }

    /// <summary>A request body that gives its first bytes and then fails, as Kestrel's does when the connection drops.</summary>
    [Fact]
    public async Task AnOwnersUnfinishedUploads_AreLimited_InNumberAndBytes()
    {
        var admin = await app.ClientAsync(Roles.Admin);
        async Task<HttpStatusCode> TryCreate(long length)
        {
            using var request = Tus(HttpMethod.Post, "/api/uploads");
            request.Headers.Add("Upload-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var response = await admin.SendAsync(request, Ct);
            if (response.StatusCode != HttpStatusCode.Created) await response.ProblemAsync(response.StatusCode);
            return response.StatusCode;
        }
        var big = await CreateAsync(admin, 2 * 1024 * 1024);
        await CreateAsync(admin, 2 * 1024 * 1024);
        Assert.Equal(HttpStatusCode.TooManyRequests, await TryCreate(2 * 1024 * 1024)); // 6 MiB of 5
        await CreateAsync(admin, 100);
        Assert.Equal(HttpStatusCode.TooManyRequests, await TryCreate(100)); // a fourth of 3
        await TerminateAsync(admin, big);
        Assert.Equal(HttpStatusCode.Created, await TryCreate(100));
    }

    [Fact]
    public async Task ManyCreationsAtOnce_ByOneOwner_StopAtTheLimit_AndStoreNothingMore()
    {
        // An owner of its own (an API key), so that no other test's unfinished uploads count.
        var admin = await app.ClientAsync(Roles.Admin);
        using var created = await admin.PostAsJsonAsync("/api/admin/keys", new { name = "burst " + Guid.NewGuid().ToString("n")[..6], scopes = new[] { "write" } }, Ct);
        await created.ShouldBe(HttpStatusCode.Created);
        var key = await created.ReadAsync<ApiKeyEndpoints.NewApiKeyResponse>();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Key);
        var tempBefore = app.TempFiles().Count;
        var entriesBefore = await app.WithDbAsync(db => db.PendingDeletions.CountAsync());

        var answers = await Task.WhenAll(Enumerable.Range(0, 60).Select(async _ =>
        {
            using var request = Tus(HttpMethod.Post, "/api/uploads");
            request.Headers.Add("Upload-Length", "100");
            using var response = await client.SendAsync(request, Ct);
            return response.StatusCode;
        }));
        Assert.Equal((3, 57), (answers.Count(a => a == HttpStatusCode.Created), answers.Count(a => a == HttpStatusCode.TooManyRequests)));
        Assert.Equal(3, await app.WithDbAsync(db => db.ResumableUploads.CountAsync(u => u.Owner == "key:" + key.Id)));
        Assert.Equal(tempBefore + 3, app.TempFiles().Count);
        Assert.Equal(entriesBefore + 3, await app.WithDbAsync(db => db.PendingDeletions.CountAsync()));
    }
}

public sealed class SqliteResumableUploadTests(ResumableUploadTests.App app) : ResumableUploadTests(app), IClassFixture<ResumableUploadTests.App>;

public sealed class PostgresResumableUploadTests(ResumableUploadTests.PostgresApp app) : ResumableUploadTests(app), IClassFixture<ResumableUploadTests.PostgresApp>;
