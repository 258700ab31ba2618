using System.Net;
using MediaLibrary.Tests.Infrastructure;

namespace MediaLibrary.Tests.Api;

/// <summary>MEDIALIB_CORS_ORIGINS: website frontends on the listed origins may call the API from the browser.</summary>
public sealed class CorsTests(CorsTests.App app) : IClassFixture<CorsTests.App>
{
    public sealed class App : MediaLibraryApp
    {
        public App() => Set("MEDIALIB_CORS_ORIGINS", "https://www.example.com, https://shop.example.com");
    }

    [Fact]
    public async Task Preflight_FromAListedOrigin_IsAllowed_AndOthersAreNot()
    {
        var ct = TestContext.Current.CancellationToken;
        async Task<HttpResponseMessage> Preflight(string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, "/api/media/1");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "DELETE");
            request.Headers.Add("Access-Control-Request-Headers", "authorization,if-match");
            return await app.CreateClient().SendAsync(request, ct);
        }

        using var allowed = await Preflight("https://shop.example.com");
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal("https://shop.example.com", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("DELETE", allowed.Headers.GetValues("Access-Control-Allow-Methods").Single());

        using var refused = await Preflight("https://evil.example.net");
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));

        var get = new HttpRequestMessage(HttpMethod.Get, "/api/media");
        get.Headers.Add("Origin", "https://www.example.com");
        using var response = await app.CreateClient().SendAsync(get, ct);
        Assert.Equal("https://www.example.com", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}
