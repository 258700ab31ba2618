using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using MediaLibrary.Api;
using MediaLibrary.Cleanup;
using MediaLibrary.Delivery;
using MediaLibrary.Storage;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static MediaLibrary.Tests.Infrastructure.TusRequests;

namespace MediaLibrary.Tests.Api;

/// <summary>
/// Resumable uploads on S3 (s3rver): pieces of any size become parts of 5 MiB (MEDIALIB_S3_PART_SIZE_MB) through tail
/// objects; appends that fail after storing, or are cut short, lose nothing; the finished object has the type its bytes
/// show whatever the client declared; terminated or refused, nothing is left in the bucket, and the reconciler never
/// takes a live upload's parts or tail for orphans.
/// </summary>
public sealed class S3ResumableUploadTests(S3ResumableUploadTests.App app) : IClassFixture<S3ResumableUploadTests.App>
{
    public sealed class App : S3MediaLibraryApp
    {
        public App()
        {
            Set("MEDIALIB_MAX_UPLOAD_BYTES", (32 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private const int MiB = 1024 * 1024;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private List<string> Tails() => app.StoredKeys().Where(k => StorageKeys.ResumableTailOwner(k) is not null).ToList();

    private async Task<long> OffsetAsync(HttpClient client, string url)
    {
        using var head = await HeadAsync(client, url);
        return long.Parse(Header(head, "Upload-Offset")!, System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task AppendDirectlyAsync(string url, long offset, Stream body)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var uploads = scope.ServiceProvider.GetRequiredService<MediaLibrary.Uploads.ResumableUploads>();
        var id = url["/api/uploads/".Length..];
        var upload = await app.WithDbAsync(db => db.ResumableUploads.AsNoTracking().SingleAsync(u => u.Id == id));
        await uploads.AppendAsync(upload, offset, body, null, Ct);
    }

    [Fact]
    public async Task PiecesOfAnySize_BecomeParts_AndOneObject_WithTheTypeItsBytesShow()
    {
        var client = await app.ClientAsync();
        var file = TestFiles.PdfOf(11 * MiB + 123, seed: 3);
        var url = await CreateAsync(client, file.Length, Metadata(("filename", "report.pdf"), ("filetype", "image/png")));

        // 3 MiB: less than a part, kept in a tail object.
        using (var first = await PatchAsync(client, url, file[..(3 * MiB)], 0)) await first.ShouldBe(HttpStatusCode.NoContent);
        Assert.Equal([StorageKeys.ResumableTail(Tails()[0], 0)], Tails());
        // 4 MiB more: part 1 fills (0–5 MiB) and 2 MiB wait in the next tail.
        using (var second = await PatchAsync(client, url, file[(3 * MiB)..(7 * MiB)], 3 * MiB)) await second.ShouldBe(HttpStatusCode.NoContent);
        Assert.Contains(Tails(), t => t.EndsWith("upload-tail-" + 5 * MiB, StringComparison.Ordinal));
        // A piece whose connection drops after 1 MiB: what arrived is kept.
        await Assert.ThrowsAsync<OperationCanceledException>(() => AppendDirectlyAsync(url, 7 * MiB, new DroppingStream(file[(7 * MiB)..], MiB)));
        Assert.Equal(8 * MiB, await OffsetAsync(client, url));
        // The superseded tail went when the next append began; only the live one is left.
        Assert.Equal([StorageKeys.ResumableTail(Tails()[0], 5 * MiB)], Tails());

        // The reconciler takes neither the live upload's parts nor its tail for leftovers.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var report = await scope.ServiceProvider.GetRequiredService<Reconciler>().RunAsync(new ReconcileRequest(true, TimeSpan.Zero, 500), Ct);
            Assert.Empty(report.StaleUploads);
            Assert.DoesNotContain(report.Orphans, o => StorageKeys.ResumableTailOwner(o.Key) is not null);
        }
        Assert.Single(Tails());

        long mediaId;
        using (var last = await PatchAsync(client, url, file[(8 * MiB)..], 8 * MiB))
        {
            await last.ShouldBe(HttpStatusCode.NoContent);
            mediaId = long.Parse(Header(last, UploadEndpoints.MediaIdHeader)!, System.Globalization.CultureInfo.InvariantCulture);
        }
        var media = await client.GetFromJsonAsync<MediaResponse>($"/api/media/{mediaId}", HttpExtensions.Json, Ct);
        Assert.Equal((Convert.ToHexStringLower(SHA256.HashData(file)), (long)file.Length, "application/pdf"), (media!.Sha256, media.Size, media.ContentType));
        var key = await app.StorageKeyAsync(mediaId);
        Assert.Equal(file, await app.ReadStoredAsync(key));
        Assert.Empty(Tails());
        Assert.Equal(0, (await S3Server.GetAsync()).UnfinishedUploads(app.S3.Bucket));
        // Declared a PNG, the bytes are a PDF: the object answers the bucket's own readers as what it is.
        using var s3 = app.S3Client();
        var stored = await s3.GetObjectMetadataAsync(app.S3.Bucket, key, Ct);
        Assert.Equal(("application/pdf", "inline"), (stored.Headers.ContentType, stored.Headers.ContentDisposition));
    }

    [Fact]
    public async Task AppendsThatFailAfterStoring_AreDoneAgain_FromTheConfirmedOffset()
    {
        var client = await app.ClientAsync();
        var file = TestFiles.PdfOf(9 * MiB, seed: 4);
        var url = await CreateAsync(client, file.Length, Metadata(("filename", "retried.pdf")));
        using (var first = await PatchAsync(client, url, file[..(3 * MiB)], 0)) await first.ShouldBe(HttpStatusCode.NoContent);

        // Stored (part 1 and a new tail) but answered as a failure: the offset stays, and the confirmed tail with it.
        app.Storage.FailUploads = true;
        try
        {
            using var failed = await PatchAsync(client, url, file[(3 * MiB)..(7 * MiB)], 3 * MiB);
            Assert.True((int)failed.StatusCode >= 500, $"Expected an outage, got {(int)failed.StatusCode}.");
        }
        finally
        {
            app.Storage.FailUploads = false;
        }
        Assert.Equal(3 * MiB, await OffsetAsync(client, url));
        Assert.Contains(Tails(), t => t.EndsWith("upload-tail-0", StringComparison.Ordinal));

        // The same piece again (part 1 overwritten), then the rest.
        using (var again = await PatchAsync(client, url, file[(3 * MiB)..(7 * MiB)], 3 * MiB)) await again.ShouldBe(HttpStatusCode.NoContent);
        using var last = await PatchAsync(client, url, file[(7 * MiB)..], 7 * MiB);
        await last.ShouldBe(HttpStatusCode.NoContent);
        var mediaId = long.Parse(Header(last, UploadEndpoints.MediaIdHeader)!, System.Globalization.CultureInfo.InvariantCulture);
        var media = await client.GetFromJsonAsync<MediaResponse>($"/api/media/{mediaId}", HttpExtensions.Json, Ct);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(file)), media!.Sha256);
        Assert.Equal(file, await app.ReadStoredAsync(await app.StorageKeyAsync(mediaId)));
        Assert.Empty(Tails());
    }

    [Fact]
    public async Task Terminated_OrRefused_AnUploadLeavesNothingInTheBucket()
    {
        var client = await app.ClientAsync();
        var keysBefore = app.StoredKeys().Where(k => !k.StartsWith("_check/", StringComparison.Ordinal)).ToList();
        var server = await S3Server.GetAsync();
        var entriesBefore = await app.WithDbAsync(db => db.PendingDeletions.CountAsync());

        var file = TestFiles.PdfOf(7 * MiB, seed: 5);
        var url = await CreateAsync(client, file.Length, Metadata(("filename", "dropped.pdf")));
        using (var piece = await PatchAsync(client, url, file[..(6 * MiB)], 0)) await piece.ShouldBe(HttpStatusCode.NoContent);
        Assert.Single(Tails());
        Assert.Single(server.UnfinishedUploadsWithParts(app.S3.Bucket)); // part 1; the 1 MiB past it waits in the tail
        await TerminateAsync(client, url);
        Assert.Empty(Tails());
        Assert.Equal(0, server.UnfinishedUploads(app.S3.Bucket));

        // An HTML page in pieces: completed, read, refused (415), and removed through its entry.
        var html = TestFiles.Html();
        var page = await CreateAsync(client, html.Length, Metadata(("filename", "page.pdf"), ("filetype", "application/pdf")));
        using (var refused = await PatchAsync(client, page, html, 0)) await refused.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(keysBefore, app.StoredKeys().Where(k => !k.StartsWith("_check/", StringComparison.Ordinal)).ToList());
        Assert.Equal(0, server.UnfinishedUploads(app.S3.Bucket));
        Assert.Equal(entriesBefore, await app.WithDbAsync(db => db.PendingDeletions.CountAsync()));
    }
}
