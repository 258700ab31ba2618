using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using MediaLibrary.Delivery;
using MediaLibrary.Media;
using MediaLibrary.Tests.Infrastructure;

namespace MediaLibrary.Tests.Api;

public abstract partial class ApiTests
{
    [Fact]
    public async Task Upload_Png_Returns201WithDetectedTypeDimensionsHashAndLocation()
    {
        var client = await App.ClientAsync();
        var bytes = TestFiles.Png(32, 16);
        using var response = await client.PostAsync("/api/media", TestFiles.Form(bytes, "red square.png", "Red square", "A red square"), Ct);
        await response.ShouldBe(HttpStatusCode.Created);
        var media = await response.ReadAsync<MediaResponse>();

        Assert.Equal($"/api/media/{media.Id}", response.Headers.Location!.OriginalString);
        Assert.Equal($"\"{media.Id}-1\"", response.Headers.ETag!.Tag);
        Assert.Equal("Red square", media.Title);
        Assert.Equal("A red square", media.AltText);
        Assert.Equal("red square.png", media.FileName);
        Assert.Equal("image/png", media.ContentType);
        Assert.Equal(bytes.Length, media.Size);
        Assert.Equal(32, media.Width);
        Assert.Equal(16, media.Height);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), media.Sha256);
        Assert.Equal(1, media.Version);
        Assert.Equal($"http://localhost/files/{media.Id}/v1/red%20square.png", media.Url);
        Assert.Equal(DateTimeKind.Utc, media.CreatedAt.Kind);
        Assert.Equal(media.CreatedAt, media.UpdatedAt);
        Assert.InRange(media.CreatedAt, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Upload_StoresExactlyTheBytes_OnceUnderAServerGeneratedKey()
    {
        var client = await App.ClientAsync();
        var bytes = TestFiles.Pdf().Concat(TestFiles.Random(300_000)).ToArray();
        var media = await client.UploadAsync(bytes, "report.pdf", "Report");

        var row = await App.WithDbAsync(db => db.Media.FindAsync(media.Id).AsTask());
        // Our generated key, or (Cloudinary) the provider's locator around it, as the storage returned it.
        Assert.Matches("^((image|video|raw)/upload/v[0-9]+/)?[0-9a-f]{24}/[0-9a-f]{24}/original$", row!.StorageKey);
        Assert.Equal(App.Storage.Provider, row.StorageProvider);
        Assert.Equal(bytes, await App.ReadStoredAsync(row.StorageKey));
        Assert.Equal(bytes, await client.GetByteArrayAsync(HttpExtensions.PathOf(media.Url), Ct));
        Assert.Equal("application/pdf", media.ContentType);
        Assert.Null(media.Width);
        Assert.Empty(App.TempFiles());
    }

    [Fact]
    public async Task Upload_WithoutTitle_UsesTheFileNameStem()
    {
        var client = await App.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Png(2, 2), "holiday-2026.png");
        Assert.Equal("holiday-2026", media.Title);
        Assert.Equal("", media.AltText);
    }

    [Fact]
    public async Task Upload_ClientContentTypeIsIgnored_TypeComesFromTheBytes()
    {
        var client = await App.ClientAsync();
        using var response = await client.PostAsync("/api/media", TestFiles.Form(TestFiles.Png(5, 5), "looks-like.pdf", clientContentType: "application/pdf"), Ct);
        await response.ShouldBe(HttpStatusCode.Created);
        Assert.Equal("image/png", (await response.ReadAsync<MediaResponse>()).ContentType);
    }

    [Fact]
    public async Task Upload_HtmlPretendingToBeAnImage_Returns415AndStoresNothing()
    {
        var client = await App.ClientAsync();
        var before = App.StoredKeys();
        using var response = await client.PostAsync("/api/media", TestFiles.Form(TestFiles.Html(), "innocent.png", clientContentType: "image/png"), Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("text/html", problem.GetProperty("detected_type").GetString());
        Assert.Equal(before, App.StoredKeys());
        Assert.Empty(App.TempFiles());
    }

    [Theory]
    [InlineData("png", 64000, 64000)]
    [InlineData("jpeg", 65535, 65535)]
    [InlineData("gif", 20000, 6000)]
    public async Task Upload_PixelFlood_Returns422BeforeAnythingIsStored(string format, int width, int height)
    {
        // A few hundred bytes whose header promises billions of pixels.
        var bytes = format switch
        {
            "png" => PngClaiming(TestFiles.Png(1, 1), width, height),
            "jpeg" => TestFiles.JpegHeader(width, height),
            _ => [.. "GIF89a"u8.ToArray(), (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), .. new byte[20]],
        };
        var client = await App.ClientAsync();
        var before = App.StoredKeys();
        using var response = await client.PostAsync("/api/media", TestFiles.Form(bytes, "flood." + format), Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("MEDIALIB_MAX_PIXELS", problem.GetProperty("detail").GetString());
        Assert.Equal(width, problem.GetProperty("width").GetInt32());
        Assert.Equal(before, App.StoredKeys());
    }

    [Fact]
    public async Task Upload_ImageAtThePixelLimit_IsAccepted()
    {
        var media = await (await App.ClientAsync()).UploadAsync(TestFiles.Jpeg(10_000, 10_000), "big.jpg");
        Assert.Equal((10_000, 10_000), (media.Width!.Value, media.Height!.Value));
    }

    private static byte[] PngClaiming(byte[] png, int width, int height)
    {
        var copy = png.ToArray();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(16), width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(20), height);
        return copy;
    }

    [Fact]
    public async Task Upload_UnknownBinary_Returns415()
    {
        var client = await App.ClientAsync();
        using var response = await client.PostAsync("/api/media", TestFiles.Form(TestFiles.Random(5000), "data.jpg", clientContentType: "image/jpeg"), Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("application/octet-stream", problem.GetProperty("detected_type").GetString());
    }

    [Fact]
    public async Task Upload_EmptyFile_Returns400AndStoresNothing()
    {
        var client = await App.ClientAsync();
        var before = App.StoredKeys();
        using var response = await client.PostAsync("/api/media", TestFiles.Form([], "empty.png"), Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("The file is empty.", problem.GetProperty("errors").GetProperty("file")[0].GetString());
        Assert.Equal(before, App.StoredKeys());
    }

    [Fact]
    public async Task Upload_WithoutFileField_Returns400NamingTheField()
    {
        var client = await App.ClientAsync();
        using var response = await client.PostAsync("/api/media", TestFiles.Form(null, title: "no file"), Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("file", out _));
    }

    [Fact]
    public async Task Upload_AsJsonInsteadOfMultipart_Returns415AndStoresNothing()
    {
        var client = await App.ClientAsync();
        var before = App.StoredKeys();
        using var response = await client.PostAsync("/api/media", new StringContent("{\"title\":\"x\"}", System.Text.Encoding.UTF8, "application/json"), Ct);
        await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(before, App.StoredKeys());
    }

    [Fact]
    public async Task Upload_TwoFiles_Returns400AndStoresNothing()
    {
        var client = await App.ClientAsync();
        var before = App.StoredKeys();
        var form = TestFiles.Form(TestFiles.Png(2, 2));
        form.Add(new ByteArrayContent(TestFiles.Png(3, 3)), "file", "second.png");
        using var response = await client.PostAsync("/api/media", form, Ct);
        await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(before, App.StoredKeys());
    }

    [Fact]
    public async Task Upload_OverTheLimit_Returns413NamingTheLimitAndStoresNothing()
    {
        var client = await App.ClientAsync();
        var before = App.StoredKeys();
        // Declared length over the limit: refused before a byte is read.
        var big = TestFiles.Pdf().Concat(TestFiles.Random(3 * 1024 * 1024)).ToArray();
        using var response = await client.PostAsync("/api/media", TestFiles.Form(big, "big.pdf"), Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("MEDIALIB_MAX_UPLOAD_BYTES", problem.GetProperty("detail").GetString());
        Assert.Equal(2 * 1024 * 1024, problem.GetProperty("max_upload_bytes").GetInt64());
        Assert.Equal(before, App.StoredKeys());
        Assert.Empty(App.TempFiles());
    }

    [Fact]
    public async Task Upload_OverTheLimitWithoutContentLength_StopsWhileStreamingWith413()
    {
        var client = await App.ClientAsync();
        var before = App.StoredKeys();
        var big = TestFiles.Pdf().Concat(TestFiles.Random(2 * 1024 * 1024 + 10)).ToArray();
        var form = new MultipartFormDataContent { { new StreamContent(new NoLengthStream(big)), "file", "big.pdf" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/media") { Content = form };
        request.Headers.TransferEncodingChunked = true;
        using var response = await client.SendAsync(request, Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("The upload limit is 2 MiB (2097152 bytes), set by MEDIALIB_MAX_UPLOAD_BYTES.", problem.GetProperty("detail").GetString());
        Assert.Equal(before, App.StoredKeys());
        Assert.Empty(App.TempFiles());
        // The client's mistake is logged once as a refusal, not as a storage failure with a stack trace.
        Assert.DoesNotContain(App.Logs.GetSnapshot(), r => r.Message.Contains("result=failed") && r.Exception is MediaLibrary.Web.ApiProblemException);
        Assert.Contains(App.Logs.GetSnapshot(), r => r.Message.Contains("result=refused, 413 The upload limit is 2 MiB") && r.Exception is null);
    }

    [Fact]
    public async Task Upload_ExactlyAtTheLimit_IsAccepted()
    {
        var client = await App.ClientAsync();
        var pdf = TestFiles.Pdf();
        var bytes = pdf.Concat(TestFiles.Random(2 * 1024 * 1024 - pdf.Length)).ToArray();
        var media = await client.UploadAsync(bytes, "limit.pdf");
        Assert.Equal(2 * 1024 * 1024, media.Size);
    }

    [Theory]
    [InlineData("../../etc/passwd.png", "passwd.png")]
    [InlineData("..\\..\\windows\\evil.png", "evil.png")]
    [InlineData("/absolute/path.png", "path.png")]
    [InlineData("a\u0001b\u001fc\u007f.png", "abc.png")]
    [InlineData("..", "file")]
    [InlineData("line\r\nbreak.png", "line break.png")]
    [InlineData("ünïcødé 写真.png", "ünïcødé 写真.png")]
    public async Task Upload_HostileFileName_IsCleanedAndNeverBecomesAPath(string sent, string expected)
    {
        var client = await App.ClientAsync();
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(TestFiles.Png(2, 2));
        // Set the header by hand: HttpClient would otherwise quote or encode the name its own way.
        file.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileNameStar = sent };
        form.Add(file);
        using var response = await client.PostAsync("/api/media", form, Ct);
        await response.ShouldBe(HttpStatusCode.Created);
        var media = await response.ReadAsync<MediaResponse>();

        Assert.Equal(expected, media.FileName);
        var row = await App.WithDbAsync(db => db.Media.FindAsync(media.Id).AsTask());
        Assert.DoesNotContain("..", row!.StorageKey);
        Assert.Contains(row.StorageKey, App.StoredKeys());
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(App.DataDir), p =>
            Path.GetFileName(p) is not ("files" or "keys" or "jwt-signing.key" or "image-signing.key") && !Path.GetFileName(p).StartsWith("medialibrary.db", StringComparison.Ordinal));
        Assert.Equal(TestFiles.Png(2, 2), await client.GetByteArrayAsync(HttpExtensions.PathOf(media.Url), Ct));
    }

    [Fact]
    public async Task Upload_ThousandCharacterFileName_IsShortenedKeepingTheExtension()
    {
        var client = await App.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Png(2, 2), new string('x', 1000) + ".png");
        Assert.Equal(FileNames.MaxLength, media.FileName.Length);
        Assert.EndsWith("x.png", media.FileName);
    }

    [Theory]
    [InlineData("a.png")]
    [InlineData("b.pdf")] // on Cloudinary a raw resource, stored under a locator of Cloudinary's making
    public async Task Upload_TitleTooLong_Returns400AndLeavesNoObjectBehind(string fileName)
    {
        var client = await App.ClientAsync();
        var before = App.StoredKeys();
        // The title comes after the file here, so the file is already stored when the title is read.
        var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(fileName.EndsWith(".pdf", StringComparison.Ordinal) ? TestFiles.Pdf() : TestFiles.Png(2, 2)), "file", fileName },
            { new StringContent(new string('t', MediaRules.MaxTitleLength + 1)), "title" },
        };
        using var response = await client.PostAsync("/api/media", form, Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("title", out _));
        Assert.Equal(before, App.StoredKeys());
        Assert.Equal(0, await App.WithDbAsync(db => Task.FromResult(db.PendingDeletions.Count())));
    }

    [Fact]
    public async Task Upload_WhenStorageFails_Returns503AndCreatesNoRow()
    {
        var client = await App.ClientAsync();
        var title = Unique();
        App.Storage.FailUploads = true;
        try
        {
            using var response = await client.PostAsync("/api/media", TestFiles.Form(TestFiles.Png(2, 2), title: title), Ct);
            await response.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        }
        finally
        {
            App.Storage.FailUploads = false;
        }
        Assert.Equal(0, await App.WithDbAsync(db => Task.FromResult(db.Media.Count(m => m.Title == title))));
        Assert.Contains(App.Logs.GetSnapshot(), r => r.Level == Microsoft.Extensions.Logging.LogLevel.Warning && r.Message.Contains("result=failed") && r.Exception is not null);
    }

    [Fact]
    public async Task Upload_ManyInParallel_AllSucceedWithDistinctIdsAndKeys()
    {
        var client = await App.ClientAsync();
        var uploads = Enumerable.Range(0, 12).Select(i => client.UploadAsync(TestFiles.Png(i + 1, 2), $"p{i}.png", $"parallel {i}"));
        var results = await Task.WhenAll(uploads);

        Assert.Equal(12, results.Select(r => r.Id).Distinct().Count());
        var ids = results.Select(r => r.Id).ToList();
        var keys = await App.WithDbAsync(db => Task.FromResult(db.Media.Where(m => ids.Contains(m.Id)).Select(m => m.StorageKey).ToList()));
        Assert.Equal(12, keys.Distinct().Count());
        foreach (var (r, i) in results.Select((r, i) => (r, i))) Assert.Equal(i + 1, r.Width);
        Assert.All(keys, k => Assert.Contains(k, App.StoredKeys()));
    }

    /// <summary>Forces chunked transfer: no Content-Length for the server to check up front.</summary>
    private sealed class NoLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }
}
