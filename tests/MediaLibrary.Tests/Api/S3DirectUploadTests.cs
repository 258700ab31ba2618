using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using MediaLibrary.Api;
using MediaLibrary.Auth;
using MediaLibrary.Delivery;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static MediaLibrary.Tests.Infrastructure.TusRequests;

namespace MediaLibrary.Tests.Api;

/// <summary>
/// Direct uploads on S3 (s3rver): the client PUTs the parts to presigned URLs and never sends the bytes through the
/// service; on completion the stored object's size, type and SHA-256 are checked, and what fails a check, an abort, or
/// parts the bucket does not know leave nothing in the bucket.
/// </summary>
public sealed class S3DirectUploadTests(S3ResumableUploadTests.App app) : IClassFixture<S3ResumableUploadTests.App>
{
    private const int MiB = 1024 * 1024;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly HttpClient Bucket = new();

    /// <summary>PUTs each part to its URL, as a browser would, and returns the ETags the bucket answered with.</summary>
    private static async Task<List<string>> SendPartsAsync(DirectUploadResponse upload, byte[] file)
    {
        var etags = new List<string>();
        for (var i = 0; i < upload.PartUrls.Count; i++)
        {
            var from = (int)(i * upload.PartSize);
            var to = (int)Math.Min(file.Length, from + upload.PartSize);
            using var put = await Bucket.PutAsync(upload.PartUrls[i], new ByteArrayContent(file, from, to - from), Ct);
            Assert.True(put.IsSuccessStatusCode, $"The bucket refused part {i + 1}: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync(Ct)}");
            etags.Add(put.Headers.ETag!.Tag);
        }
        return etags;
    }

    private static Task<HttpResponseMessage> CompleteAsync(HttpClient client, DirectUploadResponse upload, IEnumerable<string> etags) =>
        client.PostAsJsonAsync($"/api/uploads/direct/{upload.Id}/complete", new { etags }, Ct);

    private List<string> Keys() => app.StoredKeys().Where(k => !k.StartsWith("_check/", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task PartsSentToTheBucket_BecomeMedia_AfterTheStoredFileIsChecked()
    {
        var client = await app.ClientAsync();
        var file = TestFiles.PdfOf(11 * MiB + 5, seed: 8);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(file));
        var upload = await BeginDirectAsync(client, new
        {
            file_name = "catalogue.pdf", size = file.Length, content_type = "image/png", title = "Catalogue", alt_text = "The 2027 catalogue",
            tags = new[] { "print", "direct" }, sha256,
        });
        Assert.Equal((5L * MiB, 3), (upload.PartSize, upload.PartUrls.Count));
        Assert.All(upload.PartUrls, u => Assert.StartsWith(app.S3.Endpoint, u, StringComparison.Ordinal));

        var etags = await SendPartsAsync(upload, file);
        MediaResponse media;
        using (var completed = await CompleteAsync(client, upload, etags))
        {
            await completed.ShouldBe(HttpStatusCode.Created);
            media = (await completed.Content.ReadFromJsonAsync<MediaResponse>(HttpExtensions.Json, Ct))!;
        }
        Assert.Equal((sha256, (long)file.Length, "application/pdf", "Catalogue", "catalogue.pdf"),
            (media.Sha256, media.Size, media.ContentType, media.Title, media.FileName));
        Assert.Equal(["direct", "print"], media.Tags.Order(StringComparer.Ordinal));
        var key = await app.StorageKeyAsync(media.Id);
        Assert.Equal(file, await app.ReadStoredAsync(key));
        Assert.Equal(0, (await S3Server.GetAsync()).UnfinishedUploads(app.S3.Bucket));
        using (var s3 = app.S3Client())
            Assert.Equal("application/pdf", (await s3.GetObjectMetadataAsync(app.S3.Bucket, key, Ct)).Headers.ContentType);

        // Asked again (the answer was lost): the same media, 200.
        using var again = await CompleteAsync(client, upload, etags);
        await again.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(media.Id, (await again.Content.ReadFromJsonAsync<MediaResponse>(HttpExtensions.Json, Ct))!.Id);
    }

    [Fact]
    public async Task AFileThatFailsACheck_PartsTheBucketDoesNotKnow_OrAnAbort_LeaveNothing()
    {
        var client = await app.ClientAsync();
        var server = await S3Server.GetAsync();
        var before = Keys();
        var entriesBefore = await app.WithDbAsync(db => db.PendingDeletions.CountAsync());
        var file = TestFiles.PdfOf(6 * MiB, seed: 9);

        // Another file than the SHA-256 announced.
        var wrongHash = await BeginDirectAsync(client, new { file_name = "a.pdf", size = file.Length, sha256 = new string('0', 64) });
        using (var refused = await CompleteAsync(client, wrongHash, await SendPartsAsync(wrongHash, file)))
            Assert.Contains("SHA-256", (await refused.ProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("detail").GetString());
        // Fewer bytes than announced: the last part short.
        var wrongSize = await BeginDirectAsync(client, new { file_name = "b.pdf", size = file.Length + 100 });
        using (var refused = await CompleteAsync(client, wrongSize, await SendPartsAsync(wrongSize, file)))
            await refused.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        // An HTML page, whatever its name says.
        var html = TestFiles.Html();
        var page = await BeginDirectAsync(client, new { file_name = "c.pdf", size = html.Length, content_type = "application/pdf" });
        using (var refused = await CompleteAsync(client, page, await SendPartsAsync(page, html)))
            await refused.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        // ETags the bucket never gave.
        var wrongParts = await BeginDirectAsync(client, new { file_name = "d.pdf", size = file.Length });
        await SendPartsAsync(wrongParts, file);
        using (var refused = await CompleteAsync(client, wrongParts, ["\"0123\"", "\"4567\""]))
            await refused.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        // Aborted after a part.
        var aborted = await BeginDirectAsync(client, new { file_name = "e.pdf", size = file.Length });
        using (var part = await Bucket.PutAsync(aborted.PartUrls[0], new ByteArrayContent(file, 0, 5 * MiB), Ct)) Assert.True(part.IsSuccessStatusCode);
        using (var abort = await client.DeleteAsync($"/api/uploads/direct/{aborted.Id}", Ct)) await abort.ShouldBe(HttpStatusCode.NoContent);

        Assert.Equal(before, Keys());
        Assert.Equal(0, server.UnfinishedUploads(app.S3.Bucket));
        Assert.Equal(entriesBefore, await app.WithDbAsync(db => db.PendingDeletions.CountAsync()));
        foreach (var gone in new[] { wrongHash, wrongSize, page, wrongParts, aborted })
        {
            using var after = await CompleteAsync(client, gone, ["\"x\""]);
            await after.ProblemAsync(HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task BadRequests_AreRefused_AndTheTusEndpointsDoNotSeeADirectUpload()
    {
        var client = await app.ClientAsync();
        foreach (var body in new object[]
        {
            new { size = 10 }, new { file_name = "a.pdf", size = 0 }, new { file_name = "a.pdf", size = 10, sha256 = "abc" },
            new { file_name = "a.pdf", size = 10, title = new string('t', 1001) },
        })
        {
            using var refused = await client.PostAsJsonAsync("/api/uploads/direct", body, Ct);
            await refused.ProblemAsync(HttpStatusCode.BadRequest);
        }
        using (var tooLarge = await client.PostAsJsonAsync("/api/uploads/direct", new { file_name = "a.pdf", size = 33 * MiB }, Ct))
            await tooLarge.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        using (var anonymous = await app.CreateClient().PostAsJsonAsync("/api/uploads/direct", new { file_name = "a.pdf", size = 10 }, Ct))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var upload = await BeginDirectAsync(client, new { file_name = "mine.pdf", size = 10 });
        using (var noParts = await CompleteAsync(client, upload, [])) await noParts.ProblemAsync(HttpStatusCode.BadRequest);
        var other = await app.ClientAsync(Roles.Admin);
        using (var notTheirs = await CompleteAsync(other, upload, ["\"x\""])) await notTheirs.ProblemAsync(HttpStatusCode.NotFound);
        using (var head = await HeadAsync(client, "/api/uploads/" + upload.Id)) Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        using (var abort = await client.DeleteAsync($"/api/uploads/direct/{upload.Id}", Ct)) await abort.ShouldBe(HttpStatusCode.NoContent);
    }
}
