using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaLibrary.Auth;

/// <summary>/api/admin/keys: API keys for website backends, managed by admins (the command line's keys verbs over HTTP).</summary>
public static class ApiKeyEndpoints
{
    public sealed record ApiKeyResponse(long Id, string Name, string Prefix, string[] Scopes, DateTime CreatedAt, string CreatedBy,
        DateTime? ExpiresAt, DateTime? LastUsedAt, DateTime? RevokedAt)
    {
        public static ApiKeyResponse From(ApiKey k) =>
            new(k.Id, k.Name, k.Prefix, k.Scopes.Split(' '), k.CreatedAt, k.CreatedBy, k.ExpiresAt, k.LastUsedAt, k.RevokedAt);
    }

    /// <summary>The new key with its secret, answered once.</summary>
    public sealed record NewApiKeyResponse(long Id, string Name, string Prefix, string[] Scopes, DateTime CreatedAt, string CreatedBy,
        DateTime? ExpiresAt, string Key);

    public sealed record NewApiKeyRequest(string? Name, string[]? Scopes, DateTime? ExpiresAt);

    public static RouteGroupBuilder MapApiKeys(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/keys").WithTags("API keys").RequireAuthorization(Policies.Admin);
        group.MapGet("", List).WithName("ListApiKeys")
            .WithSummary("Every API key, newest first: name, prefix, scopes, creation, expiry, last use (to the minute) and revocation. Never the secret.");
        group.MapPost("", Create).WithName("CreateApiKey")
            .WithSummary($"Create an API key for a website's backend: name, scopes ({string.Join(", ", ApiKeyScopes.All)}) and an optional "
                + "expires_at. The answer holds the key; it is stored hashed and never shown again. Send it as Authorization: Bearer mlk_….");
        group.MapGet("/{id:long}", Get).WithName("GetApiKey").WithSummary("One API key, without its secret.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{id:long}", Revoke).WithName("RevokeApiKey")
            .WithSummary($"Revoke an API key: refused at once on this node and within {ApiKeyCheck.RememberFor.TotalSeconds:0} seconds on every other. "
                + "The key stays listed with revoked_at, so that history can name it. Revoking it again changes nothing.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<Ok<List<ApiKeyResponse>>> List(ApiKeys keys, CancellationToken ct) =>
        TypedResults.Ok((await keys.ListAsync(ct)).Select(ApiKeyResponse.From).ToList());

    public static async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> Get(long id, ApiKeys keys, CancellationToken ct) =>
        await keys.FindAsync(id, ct) is { } key ? TypedResults.Ok(ApiKeyResponse.From(key)) : NotFound(id);

    public static async Task<Results<Created<NewApiKeyResponse>, ValidationProblem>> Create(NewApiKeyRequest request, ApiKeys keys, TimeProvider time,
        HttpContext http, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (ApiKeys.NameProblem(request.Name) is { } name) errors["name"] = [name];
        if (ApiKeys.ScopesProblem(request.Scopes) is { } scopes) errors["scopes"] = [scopes];
        if (ApiKeys.ExpiryProblem(request.ExpiresAt, time.GetUtcNow().UtcDateTime) is { } expiry) errors["expires_at"] = [expiry];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The request is invalid.");
        var (row, key) = await keys.CreateAsync(request.Name!, request.Scopes!, request.ExpiresAt, http.User.FindFirst("name")?.Value ?? "unknown", ct);
        return TypedResults.Created($"/api/admin/keys/{row.Id}",
            new NewApiKeyResponse(row.Id, row.Name, row.Prefix, row.Scopes.Split(' '), row.CreatedAt, row.CreatedBy, row.ExpiresAt, key));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Revoke(long id, ApiKeys keys, HttpContext http, CancellationToken ct) =>
        await keys.RevokeAsync(id, http.User.FindFirst("name")?.Value ?? "unknown", ct) is null ? NotFound(id) : TypedResults.NoContent();

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "API key not found.", detail: $"There is no API key {id}.");
}
