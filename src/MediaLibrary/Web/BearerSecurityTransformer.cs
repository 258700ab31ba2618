using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MediaLibrary.Web;

/// <summary>Declares the bearer scheme so the API reference page can send tokens.</summary>
internal sealed class BearerSecurityTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT or API key",
            Description = "A token from POST /api/auth/token, or an API key (mlk_…) from an admin (POST /api/admin/keys, or the keys command).",
        };
        return Task.CompletedTask;
    }
}
