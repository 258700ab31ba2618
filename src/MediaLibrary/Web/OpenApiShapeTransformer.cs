using System.Text.RegularExpressions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MediaLibrary.Web;

/// <summary>
/// What the generator leaves out: a description for each tag, a server URL without a trailing slash, an id of its own
/// for the HEAD operation of a route mapped to GET and HEAD at once, a path parameter the handler does not bind (a file
/// name in the URL, for the browser), the 400, 404 and 413 problems an operation with input or an {id} can answer, the 503
/// any can, and the members this service adds to a problem.
/// </summary>
internal sealed partial class OpenApiShapeTransformer : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Media"] = "Upload, list, search, read, edit, replace and delete media.",
        ["Uploads"] = "Resumable uploads (tus 1.0): a large file in pieces that survive dropped connections and restarts.",
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
        foreach (var name in new[] { "ProblemDetails", "HttpValidationProblemDetails" })
            if (document.Components?.Schemas is { } schemas && schemas.TryGetValue(name, out var schema) && schema is OpenApiSchema problem)
                DescribeProblem(problem);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The members this service adds to RFC 9457's, which the generator cannot see (they are the problem's extension
    /// data): the trace id on every problem, and those particular refusals carry. A client generated from the document
    /// (openapi-typescript) then types them; the client suite checks every problem it meets against this list.
    /// </summary>
    private static void DescribeProblem(OpenApiSchema problem)
    {
        problem.Properties ??= new Dictionary<string, IOpenApiSchema>();
        OpenApiSchema Of(JsonSchemaType type, string description) => new() { Type = type, Description = description };
        problem.Properties["trace_id"] = Of(JsonSchemaType.String, "The request's trace id, as the service's logs name it: quote it when reporting a problem.");
        problem.Properties.TryAdd("errors", new OpenApiSchema
        {
            Type = JsonSchemaType.Object, Description = "On a 400: what is wrong, per field (query parameter or body member).",
            AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
        });
        problem.Properties["trashed"] = Of(JsonSchemaType.Boolean, "On a 404 for a media in the trash: true (POST /api/media/{id}/restore brings it back).");
        problem.Properties["reference_count"] = Of(JsonSchemaType.Integer, "On a 409 for a media in use: how many places use it.");
        problem.Properties["references"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Array, Description = "On a 409 for a media in use: the first places that use it.",
            Items = new OpenApiSchema
            {
                Type = JsonSchemaType.Object, Required = new HashSet<string> { "key", "label", "url" },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["key"] = Of(JsonSchemaType.String, "The website's name for the place."),
                    ["label"] = Of(JsonSchemaType.String, "What the website calls it."),
                    ["url"] = Of(JsonSchemaType.String | JsonSchemaType.Null, "Where it is."),
                },
            },
        };
        problem.Properties["media_ids"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Array, Description = "On a 409 for a folder that holds media in use: those media (the first of them).",
            Items = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" },
        };
        problem.Properties["current_etag"] = Of(JsonSchemaType.String, "On a 412: the media's ETag now, for an If-Match after a reload.");
        problem.Properties["detected_type"] = Of(JsonSchemaType.String, "On a 415: the type the file's bytes show.");
        problem.Properties["missing_ids"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Array, Description = "On a 422 for a reference sync: the media ids that name no media (the first 100).",
            Items = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" },
        };
        problem.Properties["width"] = Of(JsonSchemaType.Integer, "On a 422 for too many pixels: the image's width.");
        problem.Properties["height"] = Of(JsonSchemaType.Integer, "On a 422 for too many pixels: the image's height.");
        problem.Properties["frames"] = Of(JsonSchemaType.Integer, "On a 422 for an animation with too many pixels: its frames.");
        problem.Properties["max_pixels"] = Of(JsonSchemaType.Integer, "On a 422 for too many pixels: the limit (MEDIALIB_MAX_PIXELS).");
        problem.Properties["max_animation_pixels"] = Of(JsonSchemaType.Integer, "On a 422 for an animation: the limit of all its frames together (MEDIALIB_MAX_ANIMATION_PIXELS).");
        problem.Properties["max_json_bytes"] = Of(JsonSchemaType.Integer, "On a 413 for a JSON body: the limit (MEDIALIB_MAX_JSON_BYTES, or the endpoint's own).");
        problem.Properties["max_upload_bytes"] = Of(JsonSchemaType.Integer, "On a 413 for a file: the upload limit (MEDIALIB_MAX_UPLOAD_BYTES).");
        problem.Properties["max_form_parts"] = Of(JsonSchemaType.Integer, "On a 413 for a form: its limit of parts (MEDIALIB_MAX_FORM_PARTS).");
        problem.Properties["max_form_field_bytes"] = Of(JsonSchemaType.Integer, "On a 413 for a form: its limit for text fields (MEDIALIB_MAX_FORM_FIELD_BYTES).");
        problem.Required ??= new HashSet<string>();
        problem.Required.Add("trace_id");
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
        if (operation.RequestBody is not null)
            Problem(operation, context, "413", "The request's body is larger than the service reads.");
        // Any operation: the database or the storage failed, or the image service is full; nothing was changed.
        Problem(operation, context, "503", "The database or the storage is unavailable, or the image service is busy; nothing was changed: try again.");
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
