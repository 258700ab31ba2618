using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using MediaLibrary.Api;
using MediaLibrary.Cleanup;
using MediaLibrary.Delivery;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

using static MediaLibrary.Tests.Infrastructure.TusRequests;

namespace MediaLibrary.Tests.Api;

/// <summary>
/// Signed direct uploads on Cloudinary (the stub): the client posts the file, in chunks when it is large, to Cloudinary
/// with the fields the service signed, which pin the public_id; on completion the service finds the object, checks its
/// size, type and SHA-256, and makes the media. What fails a check, an abort, or a completion with nothing sent leave
/// nothing at Cloudinary, and the reconciler leaves a sent file alone while its upload lives.
/// </summary>
public sealed class CloudinaryDirectUploadTests(CloudinaryResumableUploadTests.App app) : IClassFixture<CloudinaryResumableUploadTests.App>
{
    private const int MiB = 1024 * 1024;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly HttpClient Cloudinary = new();

    /// <summary>
    /// Posts the file to the upload URL with the signed fields as a browser would: in one request, or in chunks of the part
    /// size with Content-Range (the total on the last only) and X-Unique-Upload-Id. Answers Cloudinary's last status.
    /// </summary>
    private static async Task<HttpStatusCode> SendAsync(DirectUploadResponse upload, byte[] file, Action<Dictionary<string, string>>? tamper = null)
    {
        var fields = new Dictionary<string, string>(upload.Fields!);
        tamper?.Invoke(fields);
        var chunk = (int)upload.PartSize;
        for (var from = 0; ; from += chunk)
        {
            var to = Math.Min(file.Length, from + chunk);
            using var form = new MultipartFormDataContent();
            foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
            form.Add(new ByteArrayContent(file, from, to - from), "file", "blob");
            using var request = new HttpRequestMessage(HttpMethod.Post, upload.UploadUrl) { Content = form };
            if (file.Length > chunk)
            {
                form.Headers.TryAddWithoutValidation("Content-Range", $"bytes {from}-{to - 1}/{(to == file.Length ? file.Length : -1)}");
                request.Headers.Add("X-Unique-Upload-Id", upload.ChunkUploadId);
            }
            using var response = await Cloudinary.SendAsync(request, Ct);
            if (!response.IsSuccessStatusCode || to == file.Length) return response.StatusCode;
        }
    }

    private static Task<HttpResponseMessage> CompleteAsync(HttpClient client, DirectUploadResponse upload) =>
        client.PostAsJsonAsync($"/api/uploads/direct/{upload.Id}/complete", new { }, Ct);

    private int ResourcesOf(DirectUploadResponse upload) => app.Stub.Resources.Count(r => r.PublicId == upload.Fields!["public_id"]);

    [Fact]
    public async Task AFileSentInChunks_WithTheSignedFields_BecomesMedia_AfterTheStoredFileIsChecked()
    {
        var client = await app.ClientAsync();
        var file = TestFiles.PdfOf(11 * MiB + 5, seed: 8);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(file));
        var upload = await BeginDirectAsync(client, new
        {
            file_name = "catalogue.pdf", size = file.Length, content_type = "application/pdf", title = "Catalogue", tags = new[] { "print" }, sha256,
        });
        Assert.Equal(("cloudinary", 5L * MiB), (upload.Storage, upload.PartSize));
        Assert.Empty(upload.PartUrls);
        Assert.Equal($"{app.Stub.BaseUrl}/v1_1/{CloudinaryStub.Cloud}/auto/upload", upload.UploadUrl);
        Assert.Equal(["api_key", "overwrite", "public_id", "signature", "timestamp"], upload.Fields!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(CloudinaryStub.ApiKey, upload.Fields["api_key"]);
        Assert.DoesNotContain(CloudinaryStub.ApiSecret, System.Text.Json.JsonSerializer.Serialize(upload));
        // The signature is Cloudinary's to accept for an hour.
        Assert.InRange(upload.ExpiresAt, DateTime.UtcNow.AddMinutes(55), DateTime.UtcNow.AddMinutes(61));

        var chunkedBefore = app.Stub.ChunkedUploads;
        Assert.Equal(HttpStatusCode.OK, await SendAsync(upload, file));
        Assert.Equal(chunkedBefore + 1, app.Stub.ChunkedUploads);
        Assert.Equal(3, app.Stub.UploadIds.Count(i => i == upload.ChunkUploadId));

        MediaResponse made;
        using (var completed = await CompleteAsync(client, upload))
        {
            await completed.ShouldBe(HttpStatusCode.Created);
            made = (await completed.Content.ReadFromJsonAsync<MediaResponse>(HttpExtensions.Json, Ct))!;
        }
        Assert.Equal(("Catalogue", "application/pdf", (long)file.Length, sha256), (made.Title, made.ContentType, made.Size, made.Sha256));
        var key = await app.StorageKeyAsync(made.Id);
        Assert.Equal($"image/upload/v{app.Stub.Resources.Single(r => r.PublicId == upload.Fields["public_id"]).Version}/{upload.Fields["public_id"]}", key);
        Assert.Equal(file, await app.ReadStoredAsync(key));

        // Asked again: the same media, 200.
        using var again = await CompleteAsync(client, upload);
        await again.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(made.Id, (await again.Content.ReadFromJsonAsync<MediaResponse>(HttpExtensions.Json, Ct))!.Id);
    }

    [Fact]
    public async Task TheSignaturePinsTheUpload_AndASmallFileGoesInOnePost()
    {
        var client = await app.ClientAsync();
        var png = TestFiles.Png(40, 30);
        var upload = await BeginDirectAsync(client, new { file_name = "dot.png", size = png.Length });
        var rejected = app.Stub.RejectedSignatures;

        // Another public_id, or one more parameter (here: overwrite what is there), breaks the signature.
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(upload, png, f => f["public_id"] = "someone-elses/asset"));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(upload, png, f => f["overwrite"] = "true"));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(upload, png, f => f["notification_url"] = "https://attacker.example/hook"));
        Assert.Equal(rejected + 3, app.Stub.RejectedSignatures);
        Assert.Equal(0, ResourcesOf(upload));

        Assert.Equal(HttpStatusCode.OK, await SendAsync(upload, png));
        using var completed = await CompleteAsync(client, upload);
        await completed.ShouldBe(HttpStatusCode.Created);
        var made = (await completed.Content.ReadFromJsonAsync<MediaResponse>(HttpExtensions.Json, Ct))!;
        Assert.Equal(("image/png", 40, 30), (made.ContentType, made.Width, made.Height));
    }

    [Fact]
    public async Task AFileThatFailsACheck_NothingSent_OrAnAbort_LeaveNothingAtCloudinary()
    {
        var client = await app.ClientAsync();
        var entriesBefore = await app.WithDbAsync(db => db.PendingDeletions.CountAsync());
        var file = TestFiles.PdfOf(6 * MiB, seed: 9);

        // Another file than the SHA-256 announced.
        var wrongHash = await BeginDirectAsync(client, new { file_name = "a.pdf", size = file.Length, sha256 = new string('0', 64) });
        Assert.Equal(HttpStatusCode.OK, await SendAsync(wrongHash, file));
        using (var refused = await CompleteAsync(client, wrongHash))
            Assert.Contains("SHA-256", (await refused.ProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("detail").GetString());
        // More bytes than announced.
        var wrongSize = await BeginDirectAsync(client, new { file_name = "b.pdf", size = file.Length - 100 });
        Assert.Equal(HttpStatusCode.OK, await SendAsync(wrongSize, file));
        using (var refused = await CompleteAsync(client, wrongSize)) await refused.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        // An HTML page, whatever its name says (Cloudinary keeps it as raw).
        var html = TestFiles.Html();
        var page = await BeginDirectAsync(client, new { file_name = "c.pdf", size = html.Length, content_type = "application/pdf" });
        Assert.Equal(HttpStatusCode.OK, await SendAsync(page, html));
        using (var refused = await CompleteAsync(client, page)) await refused.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        // Completed before anything was sent (or with a chunk short of the last).
        var nothing = await BeginDirectAsync(client, new { file_name = "d.pdf", size = file.Length });
        using (var refused = await CompleteAsync(client, nothing))
            Assert.Contains("no whole file", (await refused.ProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("detail").GetString());
        // Sent, then aborted.
        var aborted = await BeginDirectAsync(client, new { file_name = "e.pdf", size = file.Length });
        Assert.Equal(HttpStatusCode.OK, await SendAsync(aborted, file));
        Assert.Equal(1, ResourcesOf(aborted));
        using (var abort = await client.DeleteAsync($"/api/uploads/direct/{aborted.Id}", Ct)) await abort.ShouldBe(HttpStatusCode.NoContent);

        foreach (var gone in new[] { wrongHash, wrongSize, page, nothing, aborted })
        {
            Assert.Equal(0, ResourcesOf(gone));
            using var after = await CompleteAsync(client, gone);
            await after.ProblemAsync(HttpStatusCode.NotFound);
        }
        Assert.Equal(entriesBefore, await app.WithDbAsync(db => db.PendingDeletions.CountAsync()));
    }

    [Fact]
    public async Task TheReconciler_LeavesAFileSentForALiveUpload_Alone()
    {
        var client = await app.ClientAsync();
        var file = TestFiles.PdfOf(2 * MiB, seed: 10);
        var upload = await BeginDirectAsync(client, new { file_name = "later.pdf", size = file.Length });
        Assert.Equal(HttpStatusCode.OK, await SendAsync(upload, file));

        // Stored under its locator, queued under the generated key: not an orphan, however old.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var report = await scope.ServiceProvider.GetRequiredService<Reconciler>().RunAsync(new ReconcileRequest(true, TimeSpan.Zero, 500), Ct);
            Assert.DoesNotContain(report.Orphans, o => o.Key.EndsWith(upload.Fields!["public_id"], StringComparison.Ordinal));
        }
        Assert.Equal(1, ResourcesOf(upload));
        using var completed = await CompleteAsync(client, upload);
        await completed.ShouldBe(HttpStatusCode.Created);
    }
}
