using System.Net;
using MediaLibrary.Auth;
using MediaLibrary.Delivery;
using MediaLibrary.Media;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Tests.Api;

public abstract partial class ApiTests
{
    [Fact]
    public async Task Upload_RetriedWithTheSameIdempotencyKey_ReturnsTheFirstResult_OneRowOneObject()
    {
        var client = await App.ClientAsync();
        var key = Guid.NewGuid().ToString();
        var title = Unique();
        var objectsBefore = App.StoredKeys().Count;

        using var first = await SendIdempotentAsync(client, key, title);
        await first.ShouldBe(HttpStatusCode.Created);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        using var retry = await SendIdempotentAsync(client, key, title);
        await retry.ShouldBe(HttpStatusCode.Created);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());

        Assert.Equal((await first.ReadAsync<MediaResponse>()).Id, (await retry.ReadAsync<MediaResponse>()).Id);
        Assert.Equal(1, await App.WithDbAsync(db => db.Media.CountAsync(m => m.Title == title)));
        Assert.Equal(objectsBefore + 1, App.StoredKeys().Count);
    }

    [Fact]
    public async Task Upload_ConcurrentRetriesWithOneIdempotencyKey_CreateOneRowAndLeaveOneObject()
    {
        var client = await App.ClientAsync();
        var key = Guid.NewGuid().ToString();
        var title = Unique();
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => SendIdempotentAsync(client, key, title)));
        foreach (var r in responses) await r.ShouldBe(HttpStatusCode.Created);
        var ids = await Task.WhenAll(responses.Select(r => r.ReadAsync<MediaResponse>()));
        Assert.Single(ids.Select(m => m.Id).Distinct());
        Assert.Equal(1, await App.WithDbAsync(db => db.Media.CountAsync(m => m.Title == title)));
        Assert.Equal(await App.ReferencedKeysAsync(), App.StoredKeys());
        foreach (var r in responses) r.Dispose();
    }

    [Fact]
    public async Task Upload_SameIdempotencyKeyFromAnotherUser_IsIndependent()
    {
        var key = Guid.NewGuid().ToString();
        using var byEditor = await SendIdempotentAsync(await App.ClientAsync(Roles.Editor), key, Unique());
        using var byAdmin = await SendIdempotentAsync(await App.ClientAsync(Roles.Admin), key, Unique());
        Assert.NotEqual((await byEditor.ReadAsync<MediaResponse>()).Id, (await byAdmin.ReadAsync<MediaResponse>()).Id);
    }

    [Fact]
    public async Task Upload_IdempotencyKeyOfDeletedMedia_Returns410AndStoresNothing()
    {
        var client = await App.ClientAsync();
        var key = Guid.NewGuid().ToString();
        var title = Unique();
        using var first = await SendIdempotentAsync(client, key, title);
        var media = await first.ReadAsync<MediaResponse>();
        using var delete = await client.DeleteAsync($"/api/media/{media.Id}", Ct);
        await delete.ShouldBe(HttpStatusCode.NoContent);

        var before = App.StoredKeys();
        using var retry = await SendIdempotentAsync(client, key, title);
        await retry.ProblemAsync(HttpStatusCode.Gone);
        Assert.Equal(before, App.StoredKeys());
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk")]
    [InlineData("ünicode")]
    public async Task Upload_WithMalformedIdempotencyKey_Returns400(string key)
    {
        var client = await App.ClientAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/media") { Content = TestFiles.Form(TestFiles.Png(2, 2)) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        using var response = await client.SendAsync(request, Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
    }

    [Fact]
    public async Task Upload_IdempotencyKeyReusedWithAnotherFileOrTitle_Returns422_AndStoresNothing()
    {
        var client = await App.ClientAsync();
        var key = Guid.NewGuid().ToString();
        var title = Unique();
        using var first = await SendIdempotentAsync(client, key, title);
        await first.ShouldBe(HttpStatusCode.Created);
        var objects = App.StoredKeys();

        using var otherFile = await SendIdempotentAsync(client, key, title, TestFiles.Png(4, 3));
        var problem = await otherFile.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("different file or different fields", problem.GetProperty("detail").GetString());
        using var otherTitle = await SendIdempotentAsync(client, key, title + "-changed");
        await otherTitle.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        using var otherName = await SendIdempotentAsync(client, key, title, fileName: "renamed.png");
        await otherName.ProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(objects, App.StoredKeys());
        Assert.Equal(1, await App.WithDbAsync(db => db.Media.CountAsync(m => m.Title.StartsWith(title))));
        // The same request still replays.
        using var same = await SendIdempotentAsync(client, key, title);
        await same.ShouldBe(HttpStatusCode.Created);
        Assert.Equal("true", same.Headers.GetValues("Idempotent-Replayed").Single());
    }

    private static Task<HttpResponseMessage> SendIdempotentAsync(HttpClient client, string key, string title, byte[]? file = null, string fileName = "photo.png")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/media") { Content = TestFiles.Form(file ?? TestFiles.Png(3, 3), fileName, title: title) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request, Ct);
    }
}
