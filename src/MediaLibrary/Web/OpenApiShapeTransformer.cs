using System.Text.RegularExpressions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MediaLibrary.Web;

/// <summary>
/// What the generator leaves out: a description for each tag, a server URL without a trailing slash, an id of its own
/// for the HEAD operation of a route mapped to GET and HEAD at once, a path parameter the handler does not bind (a file
/// name in the URL, for the browser), and the 400 and 404 problems an operation with input or an {id} can answer.
/// </summary>
internal sealed partial class OpenApiShapeTransformer : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
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
        ["Webhooks"] = "Endpoints that receive every change, signed per Standard Webhooks; their deliveries and redelivery (admins).",
        ["Admin"] = "The storage deletion queue: pending and dead deletions, and a retry (admins).",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
            tag.Description ??= TagDescriptions.GetValueOrDefault(tag.Name ?? "");
        // A server URL is joined with paths that start with a slash.
        foreach (var server in document.Servers ?? [])
            if (server.Url is { Length: > 1 } url && url.EndsWith('/')) server.Url = url.TrimEnd('/');
        return Task.CompletedTask;
    }

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
        if (description.ParameterDescriptions.Any(p => p.Source.Id is "Path" && p.Name == "id"))
            Problem(operation, context, "404", "There is no such item (or, for media, it is in the trash).");
        if (operation.RequestBody is not null || description.ParameterDescriptions.Any(p => p.Source.Id is "Query" or "Header"))
            Problem(operation, context, "400", "The request is invalid: the problem's detail (and errors, per field) say what.");
        return Task.CompletedTask;
    }

    /// <summary>Declares a refusal as problem details, unless the endpoint declared that status itself.</summary>
    public static void Problem(OpenApiOperation operation, OpenApiOperationTransformerContext context, string status, string description)
    {
        operation.Responses ??= new OpenApiResponses();
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

    [GeneratedRegex(@"\{\*{0,2}([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\}")]
    private static partial Regex PathParameter();
}
