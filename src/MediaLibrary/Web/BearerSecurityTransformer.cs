using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MediaLibrary.Web;

/// <summary>
/// Declares the bearer scheme (a sign-in's token or an API key) and, on every operation, whether it needs one: the
/// operations behind an authorization policy carry the scheme and its refusals (401, and 403 for a role), the
/// anonymous ones an explicit empty list.
/// </summary>
internal sealed class BearerSecurityTransformer : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string SchemeName = "Bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT or API key",
            Description = "A token from POST /api/auth/token, or an API key (mlk_…) from an admin (POST /api/admin/keys, or the keys command).",
        };
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var authorize = metadata.OfType<IAllowAnonymous>().Any() ? [] : metadata.OfType<IAuthorizeData>().ToList();
        operation.Security = authorize.Count > 0
            ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] }]
            : [];
        if (authorize.Count > 0)
            OpenApiShapeTransformer.Problem(operation, context, "401",
                "No bearer token, or one that no longer counts (signed out, revoked, expired), or an API key that is not valid.");
        if (authorize.Any(a => a.Policy is not null && a.Policy != Auth.Policies.Read))
            OpenApiShapeTransformer.Problem(operation, context, "403", "The token's role, or the API key's scopes, do not allow this.");
        return Task.CompletedTask;
    }
}
