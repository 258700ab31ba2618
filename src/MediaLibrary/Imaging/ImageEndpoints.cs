using MediaLibrary.Auth;
using MediaLibrary.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Imaging;

public static class ImageEndpoints
{
    public static RouteHandlerBuilder MapImages(this IEndpointRouteBuilder app)
    {
        return app.MapPost("/api/images/sign", Sign).RequireAuthorization(Policies.Edit)
            .WithName("SignImageTransform")
            .WithTags("Images")
            .WithSummary("Sign a transform so that derivative URLs may use it (HMAC with MEDIALIB_IMAGE_SIGNING_KEY).");
    }

    public static Results<Ok<SignTransformResponse>, ValidationProblem> Sign(SignTransformRequest body, TransformSigner signer, IOptions<ImagingOptions> options)
    {
        var parts = new List<string>();
        if (body.Width is { } w) parts.Add($"w_{w}");
        if (body.Height is { } h) parts.Add($"h_{h}");
        if (body.Fit is { } fit && fit != "inside") parts.Add($"fit_{fit}");
        parts.Add($"f_{body.Format ?? "auto"}");
        if (body.Quality is { } q) parts.Add($"q_{q}");
        if (!ImageTransform.TryParse(string.Join(',', parts), options.Value.MaxDimension, out var transform, out _, out var error))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["transform"] = [error!] });
        return TypedResults.Ok(new SignTransformResponse(signer.SignedText(transform!)));
    }

    /// <summary>The HMAC key from MEDIALIB_IMAGE_SIGNING_KEY, else one generated once into the data folder.</summary>
    public static TransformSigner CreateSigner(IServiceProvider services)
    {
        var configured = services.GetRequiredService<IOptions<ImagingOptions>>().Value.SigningKey;
        return new TransformSigner(string.IsNullOrEmpty(configured)
            ? services.GetRequiredService<DataDirectory>().LoadOrCreateKey("image-signing.key")
            : System.Text.Encoding.UTF8.GetBytes(configured));
    }
}
