using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using MediaLibrary.Api;
using MediaLibrary.Delivery;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static MediaLibrary.Tests.Infrastructure.TusRequests;

namespace MediaLibrary.Tests.Api;

/// <summary>
/// Resumable uploads on Cloudinary (the stub, which holds chunks to Cloudinary's rules: the first first, the last last,
/// none under 5 MB but the last, none overlapping): pieces of any size go up as chunks of a fixed 5 MiB grid, the bytes
/// short of a chunk wait in the upload's row; an append that failed after sending, or a completion whose answer was
/// lost, is done again without a second object; refused or terminated, nothing is left.
/// </summary>
public sealed class CloudinaryResumableUploadTests(CloudinaryResumableUploadTests.App app) : IClassFixture<CloudinaryResumableUploadTests.App>
{
    public sealed class App : CloudinaryMediaLibraryApp
    {
        public App()
        {
            Set("MEDIALIB_MAX_UPLOAD_BYTES", (32 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private const int MiB = 1024 * 1024;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<long> OffsetAsync(HttpClient client, string url)
    {
        using var head = await HeadAsync(client, url);
        return long.Parse(Header(head, "Upload-Offset")!, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The chunk requests Cloudinary had for the upload behind the tus URL.</summary>
    private async Task<int> ChunksSentAsync(string url)
    {
        var id = url["/api/uploads/".Length..];
        var uploadId = await app.WithDbAsync(db => db.ResumableUploads.Where(u => u.Id == id).Select(u => u.StorageUploadId).SingleAsync());
        return app.Stub.UploadIds.Count(i => i == uploadId);
    }

    private async Task AppendDirectlyAsync(string url, long offset, Stream body)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var uploads = scope.ServiceProvider.GetRequiredService<MediaLibrary.Uploads.ResumableUploads>();
        var id = url["/api/uploads/".Length..];
        var upload = await app.WithDbAsync(db => db.ResumableUploads.AsNoTracking().SingleAsync(u => u.Id == id));
        await uploads.AppendAsync(upload, offset, body, null, Ct);
    }

    private static long MediaIdOf(HttpResponseMessage response) =>
        long.Parse(Header(response, UploadEndpoints.MediaIdHeader)!, System.Globalization.CultureInfo.InvariantCulture);

    private async Task AssertStoredAsync(HttpClient client, long mediaId, byte[] file, string contentType)
    {
        var media = await client.GetFromJsonAsync<MediaResponse>($"/api/media/{mediaId}", HttpExtensions.Json, Ct);
        Assert.Equal((Convert.ToHexStringLower(SHA256.HashData(file)), (long)file.Length, contentType), (media!.Sha256, media.Size, media.ContentType));
        var key = await app.StorageKeyAsync(mediaId);
        Assert.Equal(file, await app.ReadStoredAsync(key));
        // One object of the upload's public_id, whatever was sent twice on the way.
        Assert.Single(app.Stub.Resources, r => key.EndsWith("/" + r.PublicId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PiecesOfAnySize_GoUpAsChunksOfTheGrid_AndBecomeOneObject()
    {
        var client = await app.ClientAsync();
        var file = TestFiles.PdfOf(11 * MiB + 123, seed: 3);
        var resourcesBefore = app.Stub.Resources.Count;
        var url = await CreateAsync(client, file.Length, Metadata(("filename", "report.pdf"), ("filetype", "application/pdf")));

        // 3 MiB: less than a chunk, kept with the upload; nothing went to Cloudinary.
        using (var first = await PatchAsync(client, url, file[..(3 * MiB)], 0)) await first.ShouldBe(HttpStatusCode.NoContent);
        Assert.Equal(0, await ChunksSentAsync(url));
        // 4 MiB more: the first chunk (0–5 MiB) is whole and a byte is past it, so it goes; 2 MiB wait.
        using (var second = await PatchAsync(client, url, file[(3 * MiB)..(7 * MiB)], 3 * MiB)) await second.ShouldBe(HttpStatusCode.NoContent);
        Assert.Equal(1, await ChunksSentAsync(url));
        // A piece whose connection drops after 1 MiB: what arrived is kept.
        await Assert.ThrowsAsync<OperationCanceledException>(() => AppendDirectlyAsync(url, 7 * MiB, new DroppingStream(file[(7 * MiB)..], MiB)));
        Assert.Equal(8 * MiB, await OffsetAsync(client, url));
        Assert.Equal(resourcesBefore, app.Stub.Resources.Count);

        using var last = await PatchAsync(client, url, file[(8 * MiB)..], 8 * MiB);
        await last.ShouldBe(HttpStatusCode.NoContent);
        // Chunk 5–10 MiB with the last piece, and the last 1 MiB and 123 bytes with the completion.
        Assert.Equal(3, await ChunksSentAsync(url));
        var mediaId = MediaIdOf(last);
        await AssertStoredAsync(client, mediaId, file, "application/pdf");
        // Cloudinary's auto decided the resource type from the bytes: a PDF is an image to Cloudinary.
        Assert.StartsWith("image/upload/v", await app.StorageKeyAsync(mediaId), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAppendThatFailedAfterSending_IsDoneAgain_WithTheSameChunk()
    {
        var client = await app.ClientAsync();
        var file = TestFiles.PdfOf(9 * MiB, seed: 4);
        var url = await CreateAsync(client, file.Length, Metadata(("filename", "retried.pdf")));
        using (var first = await PatchAsync(client, url, file[..(3 * MiB)], 0)) await first.ShouldBe(HttpStatusCode.NoContent);

        // Sent (the first chunk) but answered as a failure: the offset stays at 3 MiB.
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
        Assert.Equal(1, await ChunksSentAsync(url));

        // The client goes on in other pieces: the first chunk is sent again as the same 0–5 MiB (Cloudinary refuses
        // chunks that overlap), then the rest.
        using (var again = await PatchAsync(client, url, file[(3 * MiB)..(5 * MiB + 1)], 3 * MiB)) await again.ShouldBe(HttpStatusCode.NoContent);
        Assert.Equal(2, await ChunksSentAsync(url));
        using var last = await PatchAsync(client, url, file[(5 * MiB + 1)..], 5 * MiB + 1);
        await last.ShouldBe(HttpStatusCode.NoContent);
        await AssertStoredAsync(client, MediaIdOf(last), file, "application/pdf");
    }

    [Fact]
    public async Task BadPieces_KeepNothing_AndAChunkTheyHadSent_GoesAgainAsTheSameChunk()
    {
        var client = await app.ClientAsync();
        var resourcesBefore = app.Stub.Resources.Count;
        using (var tooLarge = await client.SendAsync(Create(33 * MiB), Ct)) await tooLarge.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        var file = TestFiles.PdfOf(8 * MiB, seed: 6);
        var url = await CreateAsync(client, file.Length, Metadata(("filename", "checked.pdf")));
        // 6 MiB whose checksum is another piece's: the first chunk went to Cloudinary on the way, but nothing is kept (460).
        using (var mismatch = await PatchAsync(client, url, file[..(6 * MiB)], 0, Sha256Header(file[MiB..(7 * MiB)])))
            Assert.Equal(460, (int)mismatch.StatusCode);
        Assert.Equal((0L, 1), (await OffsetAsync(client, url), await ChunksSentAsync(url)));
        // A piece at another offset than the upload's: 409, nothing sent.
        using (var elsewhere = await PatchAsync(client, url, file[(3 * MiB)..(6 * MiB)], 3 * MiB)) await elsewhere.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(1, await ChunksSentAsync(url));

        // The right piece: the same 0–5 MiB chunk again (Cloudinary takes it in place of the first), then the rest.
        using (var good = await PatchAsync(client, url, file[..(6 * MiB)], 0, Sha256Header(file[..(6 * MiB)]))) await good.ShouldBe(HttpStatusCode.NoContent);
        Assert.Equal(2, await ChunksSentAsync(url));
        using var last = await PatchAsync(client, url, file[(6 * MiB)..], 6 * MiB);
        await last.ShouldBe(HttpStatusCode.NoContent);
        await AssertStoredAsync(client, MediaIdOf(last), file, "application/pdf");
        Assert.Equal(resourcesBefore + 1, app.Stub.Resources.Count);

        static HttpRequestMessage Create(long length)
        {
            var request = Tus(HttpMethod.Post, "/api/uploads");
            request.Headers.Add("Upload-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return request;
        }
    }

    [Theory]
    [InlineData(7 * MiB)] // chunked: the last chunk sent again starts nothing at Cloudinary, which holds the object
    [InlineData(2 * MiB)] // one plain upload: sent again, Cloudinary answers with the object that is there
    public async Task ACompletionWhoseAnswerWasLost_FinishesWithTheObjectItMade(int length)
    {
        var client = await app.ClientAsync();
        var file = TestFiles.PdfOf(length, seed: length);
        var url = await CreateAsync(client, file.Length, Metadata(("filename", "lost.pdf")));
        app.Storage.FailAfterUploads = true;
        try
        {
            using var failed = await PatchAsync(client, url, file, 0);
            Assert.True((int)failed.StatusCode >= 500, $"Expected an outage, got {(int)failed.StatusCode}.");
        }
        finally
        {
            app.Storage.FailAfterUploads = false;
        }
        Assert.Equal(length, await OffsetAsync(client, url));

        // Every byte is in: an empty piece at the end finishes it, with the object the lost completion made.
        using var finish = await PatchAsync(client, url, [], length);
        await finish.ShouldBe(HttpStatusCode.NoContent);
        await AssertStoredAsync(client, MediaIdOf(finish), file, "application/pdf");
    }

    [Fact]
    public async Task Refused_OrTerminated_AnUploadLeavesNothingAtCloudinary()
    {
        var client = await app.ClientAsync();
        var resourcesBefore = app.Stub.Resources.Count;
        var entriesBefore = await app.WithDbAsync(db => db.PendingDeletions.CountAsync());

        // Terminated after its first chunk went: Cloudinary made nothing of it, and the entry's deletion finds nothing.
        var file = TestFiles.PdfOf(7 * MiB, seed: 5);
        var url = await CreateAsync(client, file.Length, Metadata(("filename", "dropped.pdf")));
        using (var piece = await PatchAsync(client, url, file[..(6 * MiB)], 0)) await piece.ShouldBe(HttpStatusCode.NoContent);
        Assert.Equal(1, await ChunksSentAsync(url));
        await TerminateAsync(client, url);

        // An HTML page in pieces: made at Cloudinary (raw), read, refused (415), and destroyed through its entry.
        var html = TestFiles.Html();
        var page = await CreateAsync(client, html.Length, Metadata(("filename", "page.pdf"), ("filetype", "application/pdf")));
        using (var refused = await PatchAsync(client, page, html, 0)) await refused.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(resourcesBefore, app.Stub.Resources.Count);
        Assert.Equal(entriesBefore, await app.WithDbAsync(db => db.PendingDeletions.CountAsync()));
    }

    [Fact]
    public async Task AnImageInOnePiece_IsOnePlainUpload()
    {
        var client = await app.ClientAsync();
        var png = TestFiles.Png(64, 48);
        var chunkedBefore = app.Stub.ChunkedUploads;
        var url = await CreateAsync(client, png.Length, Metadata(("filename", "dot.png"), ("title", "A dot")));
        using var piece = await PatchAsync(client, url, png, 0);
        await piece.ShouldBe(HttpStatusCode.NoContent);
        Assert.Equal(chunkedBefore, app.Stub.ChunkedUploads);
        Assert.Equal(0, await ChunksSentAsync(url));
        var mediaId = MediaIdOf(piece);
        await AssertStoredAsync(client, mediaId, png, "image/png");
        var media = await client.GetFromJsonAsync<MediaResponse>($"/api/media/{mediaId}", HttpExtensions.Json, Ct);
        Assert.Equal(("A dot", 64, 48), (media!.Title, media.Width, media.Height));
    }
}
