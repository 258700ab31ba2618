using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MediaLibrary.Web;

/// <summary>
/// Declares the bearer scheme (a sign-in's token or an API key) and, on every operation, whether it needs one: the
/// operations behind an authorization policy carry the scheme, the anonymous ones an explicit empty list.
/// </summary>
internal sealed class BearerSecurityTransformer : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string SchemeName = "Bearer";

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Media"] = "Upload, list, search, read, edit, replace and delete media.",
        ["Files"] = "The stored files and their rendered sizes, at versioned URLs cached forever.",
        ["Images"] = "Signed transforms for sizes beyond the configured widths.",
        ["Folders"] = "A tree for organising media; never part of a file's URL or storage key.",
        ["Tags"] = "Free-form labels on media, with counts and prefix completion.",
        ["References"] = "Where media are used, as the website reports it; a media in use is not deleted unless forced.",
        ["Trash"] = "Deleted media, restorable until purged.",
        ["History"] = "Every change of every media: by whom, when, from where, and what changed.",
        ["Auth"] = "Sign-in tokens: issue, sign out, and the files cookie for pages on this origin.",
        ["Users"] = "Users and their roles (admins).",
        ["API keys"] = "Credentials for website backends, with scopes and expiry (admins).",
        ["Admin"] = "The storage deletion queue: pending and dead deletions, and a retry (admins).",
    };

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
        document.Tags ??= new HashSet<OpenApiTag>();
        foreach (var tag in document.Tags)
            tag.Description ??= TagDescriptions.GetValueOrDefault(tag.Name ?? "");
        // A server URL is joined with paths that start with a slash.
        foreach (var server in document.Servers ?? [])
            if (server.Url is { Length: > 1 } url && url.EndsWith('/')) server.Url = url.TrimEnd('/');
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var authorize = metadata.OfType<IAllowAnonymous>().Any() ? [] : metadata.OfType<IAuthorizeData>().ToList();
        operation.Security = authorize.Count > 0
            ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] }]
            : [];

        // The refusals every such operation can answer, as problem details, unless the endpoint declared them itself.
        operation.Responses ??= new OpenApiResponses();
        void Problem(string status, string description)
        {
            if (operation.Responses.ContainsKey(status)) return;
            operation.Responses[status] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", context.Document) },
                },
            };
        }
        if (authorize.Count > 0)
            Problem("401", "No bearer token, or one that no longer counts (signed out, revoked, expired), or an API key that is not valid.");
        if (authorize.Any(a => a.Policy is not null && a.Policy != Auth.Policies.Read))
            Problem("403", "The token's role, or the API key's scopes, do not allow this.");
        if (context.Description.ParameterDescriptions.Any(p => p.Source.Id is "Path" && p.Name == "id"))
            Problem("404", "There is no such item (or, for media, it is in the trash).");
        if (operation.RequestBody is not null || context.Description.ParameterDescriptions.Any(p => p.Source.Id is "Query" or "Header"))
            Problem("400", "The request is invalid: the problem's detail (and errors, per field) say what.");
        return Task.CompletedTask;
    }
}

/// <summary>
/// What the generator leaves out for a route mapped to GET and HEAD at once: the HEAD operation gets an id of its own,
/// and a path parameter the handler does not bind (a file name in the URL, for the browser) is still declared.
/// </summary>
internal sealed partial class RouteShapeTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var description = context.Description;
        if (string.Equals(description.HttpMethod, HttpMethods.Head, StringComparison.OrdinalIgnoreCase) && operation.OperationId is { } id)
            operation.OperationId = id + "Head";
        operation.Parameters ??= [];
        foreach (Match match in PathParameter().Matches(description.RelativePath ?? ""))
        {
            var name = match.Groups[1].Value;
            if (operation.Parameters.Any(p => p.In == ParameterLocation.Path && p.Name == name)) continue;
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name, In = ParameterLocation.Path, Required = true,
                Description = name == "name" ? "Any name: what a browser saves the file as; it does not choose the file." : null,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }
        return Task.CompletedTask;
    }

    [GeneratedRegex(@"\{\*{0,2}([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\}")]
    private static partial Regex PathParameter();
}
