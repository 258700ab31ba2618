using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MediaLibrary.Delivery;
using MediaLibrary.Media;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Tests.Api;

public abstract partial class ApiTests
{
    [Fact]
    public async Task Patch_ChangesMetadataAndUpdatedAt_ButNotTheFileUrl()
    {
        var client = await App.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Png(4, 4), "x.png", "Before", "old alt");
        await Task.Delay(5, Ct);

        using var response = await client.PatchAsJsonAsync($"/api/media/{media.Id}", new { title = "After" }, Ct);
        await response.ShouldBe(HttpStatusCode.OK);
        var updated = await response.ReadAsync<MediaResponse>();
        Assert.Equal("After", updated.Title);
        Assert.Equal("old alt", updated.AltText);
        Assert.True(updated.UpdatedAt > media.UpdatedAt);
        Assert.Equal(media.CreatedAt, updated.CreatedAt);
        Assert.Equal(media.Url, updated.Url);
        Assert.Equal(media.Version, updated.Version);
        Assert.Equal($"\"{media.Id}-2\"", response.Headers.ETag!.Tag);

        using var alt = await client.PatchAsJsonAsync($"/api/media/{media.Id}", new { alt_text = "" }, Ct);
        var altered = await alt.ReadAsync<MediaResponse>();
        Assert.Equal("", altered.AltText);
        Assert.Equal(alt.Headers.ETag!.Tag, altered.Etag); // the body's etag is the header's
        var read = await GetAsync(media.Id);
        Assert.Equal(altered.Etag, read.Etag);
        Assert.Equivalent(updated with { AltText = "", UpdatedAt = default, Etag = "" }, read with { UpdatedAt = default, Etag = "" }, strict: true);
    }

    [Fact]
    public async Task Patch_WithStaleIfMatch_Returns412AndChangesNothing()
    {
        var client = await App.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Png(4, 4), "x.png", "Original");
        using var first = await client.PatchAsJsonAsync($"/api/media/{media.Id}", new { title = "First edit" }, Ct);
        await first.ShouldBe(HttpStatusCode.OK);

        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/media/{media.Id}") { Content = JsonContent.Create(new { title = "Lost update" }) };
        request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{media.Id}-1\""));
        using var stale = await client.SendAsync(request, Ct);
        var problem = await stale.ProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal($"\"{media.Id}-2\"", problem.GetProperty("current_etag").GetString());
        Assert.Equal("First edit", (await GetAsync(media.Id)).Title);

        using var fresh = new HttpRequestMessage(HttpMethod.Patch, $"/api/media/{media.Id}") { Content = JsonContent.Create(new { title = "Second edit" }) };
        fresh.Headers.IfMatch.Add(first.Headers.ETag!);
        using var ok = await client.SendAsync(fresh, Ct);
        await ok.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("{\"title\": 5}")]
    [InlineData("{\"titel\": \"typo\"}")]
    [InlineData("not json")]
    [InlineData("{\"title\": \"   \"}")]
    [InlineData("{\"title\": \"\"}")]
    [InlineData("{\"title\": \"bell\u0007\"}")]
    public async Task Patch_InvalidBody_Returns400AndChangesNothing(string body)
    {
        var client = await App.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Png(4, 4), "x.png", "Keep me");
        using var response = await client.PatchAsync($"/api/media/{media.Id}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);
        await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equivalent(media, await GetAsync(media.Id), strict: true);
    }

    [Fact]
    public async Task Patch_TooLongAltText_Returns400NamingTheField()
    {
        var client = await App.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Png(4, 4));
        using var response = await client.PatchAsJsonAsync($"/api/media/{media.Id}", new { alt_text = new string('a', MediaRules.MaxAltTextLength + 1) }, Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("alt_text", out _));
    }

    [Fact]
    public async Task Patch_UnknownId_Returns404()
    {
        var client = await App.ClientAsync();
        using var response = await client.PatchAsJsonAsync("/api/media/99999999", new { title = "x" }, Ct);
        await response.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Replace_BumpsVersion_NewUrlServesNewBytes_OldUrl404_OldObjectGone()
    {
        var client = await App.ClientAsync();
        var oldBytes = TestFiles.Png(8, 8, 255, 0, 0);
        var media = await client.UploadAsync(oldBytes, "logo.png", "Logo", "Our logo");
        var oldKey = await App.StorageKeyAsync(media.Id);

        var newBytes = TestFiles.Jpeg(640, 480);
        using var response = await client.PutAsync($"/api/media/{media.Id}/file", TestFiles.Form(newBytes, "logo-2026.jpg"), Ct);
        await response.ShouldBe(HttpStatusCode.OK);
        var replaced = await response.ReadAsync<MediaResponse>();

        Assert.Equal(2, replaced.Version);
        Assert.NotEqual(media.Url, replaced.Url);
        Assert.Contains("/v2/", replaced.Url);
        Assert.Equal("image/jpeg", replaced.ContentType);
        Assert.Equal((640, 480), (replaced.Width!.Value, replaced.Height!.Value));
        Assert.Equal("logo-2026.jpg", replaced.FileName);
        Assert.Equal("Logo", replaced.Title);
        Assert.Equal("Our logo", replaced.AltText);
        Assert.Equal(newBytes.Length, replaced.Size);

        Assert.Equal(newBytes, await client.GetByteArrayAsync(HttpExtensions.PathOf(replaced.Url), Ct));
        using var old = await client.GetAsync(HttpExtensions.PathOf(media.Url), Ct);
        await old.ProblemAsync(HttpStatusCode.NotFound);

        var newKey = await App.StorageKeyAsync(media.Id);
        Assert.NotEqual(oldKey, newKey);
        Assert.DoesNotContain(oldKey, App.StoredKeys());
        Assert.Contains(newKey, App.StoredKeys());
        Assert.Equal(0, await App.WithDbAsync(db => db.PendingDeletions.CountAsync(p => p.MediaId == media.Id)));
    }

    [Fact]
    public async Task Replace_WithStaleIfMatch_Returns412AndStoresNothing()
    {
        var client = await App.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Png(4, 4));
        var before = App.StoredKeys();
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/media/{media.Id}/file") { Content = TestFiles.Form(TestFiles.Png(5, 5)) };
        request.Headers.IfMatch.Add(new EntityTagHeaderValue("\"0-0\""));
        using var response = await client.SendAsync(request, Ct);
        await response.ProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal(before, App.StoredKeys());
        Assert.Equivalent(media, await GetAsync(media.Id), strict: true);
    }

    [Fact]
    public async Task Replace_WithDisallowedType_Returns415AndKeepsTheOriginal()
    {
        var client = await App.ClientAsync();
        var bytes = TestFiles.Png(4, 4);
        var media = await client.UploadAsync(bytes);
        var before = App.StoredKeys();
        using var response = await client.PutAsync($"/api/media/{media.Id}/file", TestFiles.Form(TestFiles.Html(), "page.png"), Ct);
        await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(before, App.StoredKeys());
        Assert.Equal(bytes, await client.GetByteArrayAsync(HttpExtensions.PathOf(media.Url), Ct));
    }

    [Fact]
    public async Task Replace_UnknownId_Returns404AndStoresNothing()
    {
        var client = await App.ClientAsync();
        var before = App.StoredKeys();
        using var response = await client.PutAsync("/api/media/99999999/file", TestFiles.Form(TestFiles.Png(2, 2)), Ct);
        await response.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(before, App.StoredKeys());
    }

    [Fact]
    public async Task Delete_RemovesTheRowAndEveryStoredByte()
    {
        var client = await App.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Png(6, 6), "gone.png");
        var key = await App.StorageKeyAsync(media.Id);
        Assert.Contains(key, App.StoredKeys());

        using var response = await client.DeleteAsync($"/api/media/{media.Id}", Ct);
        await response.ShouldBe(HttpStatusCode.NoContent);

        Assert.DoesNotContain(key, App.StoredKeys());
        Assert.Null(await App.WithDbAsync(db => db.Media.FindAsync(media.Id).AsTask()));
        Assert.Equal(0, await App.WithDbAsync(db => db.PendingDeletions.CountAsync(p => p.MediaId == media.Id)));
        using var get = await client.GetAsync($"/api/media/{media.Id}", Ct);
        await get.ProblemAsync(HttpStatusCode.NotFound);
        using var file = await client.GetAsync(HttpExtensions.PathOf(media.Url), Ct);
        await file.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_LogsEveryStepWithMediaIdKeyAndProvider()
    {
        var client = await App.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Png(6, 6));
        var key = await App.StorageKeyAsync(media.Id);
        using var response = await client.DeleteAsync($"/api/media/{media.Id}", Ct);
        await response.ShouldBe(HttpStatusCode.NoContent);

        var records = App.Logs.GetSnapshot().Where(r => r.StructuredState?.Any(s => s.Key == "StorageKey" && s.Value == key) == true).ToList();
        string? Field(Microsoft.Extensions.Logging.Testing.FakeLogRecord r, string name) => r.StructuredState!.FirstOrDefault(s => s.Key == name).Value;
        Assert.Contains(records, r => r.Message.Contains("queued for deletion") && Field(r, "MediaId") == media.Id.ToString());
        Assert.Contains(records, r => r.Message.Contains("Queued for media") && r.Message.Contains("Deleting") && Field(r, "MediaId") == media.Id.ToString());
        Assert.Contains(records, r => r.Message.StartsWith("Deleting", StringComparison.Ordinal) && Field(r, "Provider") == App.Storage.Provider && Field(r, "Attempt") == "1");
        Assert.Contains(records, r => r.Message.Contains("result=ok") && Field(r, "MediaId") == media.Id.ToString());
    }

    [Fact]
    public async Task Delete_Twice_Returns204Then404()
    {
        var client = await App.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Png(2, 2));
        using var first = await client.DeleteAsync($"/api/media/{media.Id}", Ct);
        await first.ShouldBe(HttpStatusCode.NoContent);
        using var second = await client.DeleteAsync($"/api/media/{media.Id}", Ct);
        await second.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_WithStaleIfMatch_Returns412AndKeepsEverything()
    {
        var client = await App.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Png(2, 2));
        var before = App.StoredKeys();
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/media/{media.Id}");
        request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{media.Id}-7\""));
        using var response = await client.SendAsync(request, Ct);
        await response.ProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal(before, App.StoredKeys());
        Assert.Equivalent(media, await GetAsync(media.Id), strict: true);
    }

    [Fact]
    public async Task Delete_ConcurrentRequestsForOneId_OneGets204TheOthers404_NeverA500()
    {
        var client = await App.ClientAsync();
        for (var round = 0; round < 5; round++)
        {
            var media = await client.UploadAsync(TestFiles.Png(2, 2));
            var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.DeleteAsync($"/api/media/{media.Id}", Ct)));
            var codes = responses.Select(r => r.StatusCode).ToList();
            Assert.Equal(1, codes.Count(c => c == HttpStatusCode.NoContent));
            Assert.Equal(3, codes.Count(c => c == HttpStatusCode.NotFound));
            foreach (var r in responses) r.Dispose();
        }
        Assert.Equal(await App.ReferencedKeysAsync(), App.StoredKeys());
    }

    [Fact]
    public async Task ConcurrentPatchesAndReplaces_LeaveStorageExactlyAsTheRowsSay()
    {
        var client = await App.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Png(2, 2));
        var work = Enumerable.Range(0, 6).Select(async i =>
        {
            using var response = i % 2 == 0
                ? await client.PutAsync($"/api/media/{media.Id}/file", TestFiles.Form(TestFiles.Png(i + 3, 2)), Ct)
                : await client.PatchAsJsonAsync($"/api/media/{media.Id}", new { title = $"edit {i}" }, Ct);
            return response.StatusCode;
        });
        var codes = await Task.WhenAll(work);
        Assert.All(codes, c => Assert.True(c is HttpStatusCode.OK or HttpStatusCode.Conflict, c.ToString()));
        var final = await GetAsync(media.Id);
        Assert.Equal(1 + codes.Where((c, i) => i % 2 == 0 && c == HttpStatusCode.OK).Count(), final.Version);
        Assert.Equal(await App.ReferencedKeysAsync(), App.StoredKeys());
    }

    private async Task<MediaResponse> GetAsync(long id)
    {
        using var response = await App.CreateClient().GetAsync($"/api/media/{id}", Ct);
        await response.ShouldBe(HttpStatusCode.OK);
        return await response.ReadAsync<MediaResponse>();
    }
}
