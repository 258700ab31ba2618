using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;

namespace MediaLibrary.Tests.Infrastructure;

/// <summary>The tus requests the resumable upload tests send, a direct upload's beginning, and a request body whose connection drops part way.</summary>
public static class TusRequests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;


    public static string Metadata(params (string Key, string Value)[] pairs) =>
        string.Join(",", pairs.Select(p => p.Key + " " + Convert.ToBase64String(Encoding.UTF8.GetBytes(p.Value))));

    public static HttpRequestMessage Tus(HttpMethod method, string url, byte[]? piece = null, long? offset = null)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        if (offset is not null) request.Headers.Add("Upload-Offset", offset.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (piece is not null)
        {
            request.Content = new ByteArrayContent(piece);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        }
        return request;
    }

    public static async Task<string> CreateAsync(HttpClient client, long length, string? metadata = null, byte[]? first = null)
    {
        using var request = Tus(HttpMethod.Post, "/api/uploads", first);
        request.Headers.Add("Upload-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (metadata is not null) request.Headers.Add("Upload-Metadata", metadata);
        using var response = await client.SendAsync(request, Ct);
        await response.ShouldBe(HttpStatusCode.Created);
        Assert.Equal("1.0.0", Header(response, "Tus-Resumable"));
        Assert.Equal((first?.Length ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture), Header(response, "Upload-Offset"));
        return response.Headers.Location!.OriginalString;
    }

    public static async Task<HttpResponseMessage> PatchAsync(HttpClient client, string url, byte[] piece, long offset, string? checksum = null)
    {
        using var request = Tus(HttpMethod.Patch, url, piece, offset);
        if (checksum is not null) request.Headers.Add("Upload-Checksum", checksum);
        return await client.SendAsync(request, Ct);
    }

    public static async Task<HttpResponseMessage> HeadAsync(HttpClient client, string url)
    {
        using var request = Tus(HttpMethod.Head, url);
        return await client.SendAsync(request, Ct);
    }

    /// <summary>Begins a direct upload with the body given; the storage's answer.</summary>
    public static async Task<MediaLibrary.Api.DirectUploadResponse> BeginDirectAsync(HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/api/uploads/direct", body, Ct);
        await response.ShouldBe(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<MediaLibrary.Api.DirectUploadResponse>(HttpExtensions.Json, Ct))!;
    }

    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;

    public static string Sha256Header(ReadOnlySpan<byte> piece) => "sha256 " + Convert.ToBase64String(SHA256.HashData(piece));

    public static async Task TerminateAsync(HttpClient client, string url)
    {
        using var request = Tus(HttpMethod.Delete, url);
        using var response = await client.SendAsync(request, Ct);
        await response.ShouldBe(HttpStatusCode.NoContent);
    }

    public sealed class DroppingStream(byte[] bytes, int failAfter) : MemoryStream(bytes, 0, failAfter)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            var read = await base.ReadAsync(buffer, ct);
            return read > 0 ? read : throw new IOException("The client reset the request stream.");
        }
    }
}
