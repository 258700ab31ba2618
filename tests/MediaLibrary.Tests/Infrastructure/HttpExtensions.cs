using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MediaLibrary.Delivery;
using MediaLibrary.Media;

namespace MediaLibrary.Tests.Infrastructure;

public static class HttpExtensions
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static async Task<MediaResponse> UploadAsync(this HttpClient client, byte[] file, string fileName = "photo.png", string? title = null, string? altText = null)
    {
        using var response = await client.PostAsync("/api/media", TestFiles.Form(file, fileName, title, altText));
        await response.ShouldBe(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<MediaResponse>(Json))!;
    }

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(Json))!;

    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        await response.ShouldBe(status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("trace_id").GetString()));
        return problem;
    }

    public static async Task ShouldBe(this HttpResponseMessage response, HttpStatusCode status)
    {
        if (response.StatusCode != status)
            Assert.Fail($"Expected {(int)status} {status}, got {(int)response.StatusCode} {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The path and query of an absolute URL the API returned, for the in-process client.</summary>
    public static string PathOf(string url) => new Uri(url).PathAndQuery;

    /// <summary>Every media id the list gives for <paramref name="query"/>, following next links two at a time.</summary>
    public static async Task<List<long>> ListIdsAsync(this HttpClient client, string query)
    {
        var ids = new List<long>();
        for (var url = "/api/media?page_size=2&" + query; url is not null;)
        {
            var page = await client.GetFromJsonAsync<MediaLibrary.Api.MediaListResponse>(url, Json, TestContext.Current.CancellationToken);
            ids.AddRange(page!.Results.Select(m => m.Id));
            url = page.Next is null ? null : PathOf(page.Next);
        }
        return ids;
    }
}
