using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Tests.Api;

/// <summary>Request bounds: a form's parts and text fields, and JSON bodies, are refused with 413 before they are kept.</summary>
public abstract partial class ApiTests
{
    private static MultipartFormDataContent FormWithFields(int fields, int bytesEach, bool fileFirst)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(TestFiles.Png(4, 4));
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        if (fileFirst) form.Add(file, "file", "many.png");
        var value = new string('x', bytesEach);
        for (var i = 0; i < fields; i++) form.Add(new StringContent(value), $"field{i}");
        if (!fileFirst) form.Add(file, "file", "many.png");
        return form;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Upload_WithThousandsOfFields_Is413_AndStoresNothing(bool fileFirst)
    {
        var client = await App.ClientAsync();
        var before = App.StoredKeys();
        var rows = await App.WithDbAsync(db => db.Media.CountAsync());
        using var response = await client.PostAsync("/api/media", FormWithFields(20_000, 16, fileFirst), Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("MEDIALIB_MAX_FORM_PARTS", problem.GetProperty("detail").GetString());
        Assert.Equal(16, problem.GetProperty("max_form_parts").GetInt32());
        Assert.Equal(before, App.StoredKeys());
        Assert.Equal(rows, await App.WithDbAsync(db => db.Media.CountAsync()));
    }

    [Fact]
    public async Task Upload_WithTextFieldsOverTheirTotal_Is413()
    {
        var client = await App.ClientAsync();
        var before = App.StoredKeys();
        using var response = await client.PostAsync("/api/media", FormWithFields(5, 16_000, fileFirst: true), Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("MEDIALIB_MAX_FORM_FIELD_BYTES", problem.GetProperty("detail").GetString());
        Assert.Equal(before, App.StoredKeys());

        // Within the bounds the same form works: a few fields beside the file.
        var media = await client.UploadAsync(TestFiles.Png(4, 4), "fine.png", "Fine", new string('a', 1000));
        Assert.Equal("Fine", media.Title);
    }

    [Fact]
    public async Task Patch_WithAJsonBodyOverTheLimit_Is413_AndChangesNothing()
    {
        var client = await App.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Png(3, 3), title: "Bounded");
        var body = new StringContent($"{{\"title\":\"Big\",\"alt_text\":\"{new string('a', 70_000)}\"}}", Encoding.UTF8, "application/json");
        using var response = await client.PatchAsync($"/api/media/{media.Id}", body, Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(65536, problem.GetProperty("max_json_bytes").GetInt32());
        Assert.Equal("Bounded", (await client.GetFromJsonAsync<MediaLibrary.Delivery.MediaResponse>($"/api/media/{media.Id}", HttpExtensions.Json, Ct))!.Title);
    }
}
