using MediaLibrary.Auth;
using MediaLibrary.Media;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MediaLibrary.Api;

/// <summary>/api/tags: the tags in use with their counts, and the prefix search an autocompleting tag field asks.</summary>
public static class TagEndpoints
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 1000;

    public static RouteGroupBuilder MapTags(this IEndpointRouteBuilder app, bool requireAuthForReads)
    {
        var api = app.MapGroup("/api/tags").WithTags("Tags");
        if (requireAuthForReads) api.RequireAuthorization(Policies.Read);
        api.MapGet("", List).WithName("ListTags")
            .WithSummary("Tags in use, most used first, each with how many media have it; prefix=… keeps those that start with it "
                + $"(whatever the case); limit 1 to {MaxLimit} (default {DefaultLimit}).");
        return api;
    }

    public static async Task<Results<Ok<TagListResponse>, ValidationProblem>> List(
        MediaTags tags, CancellationToken ct, [FromQuery] string? prefix = null, [FromQuery] string? limit = null)
    {
        var errors = new Dictionary<string, string[]>();
        var top = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, out top) || top is < 1 or > MaxLimit))
            errors["limit"] = [$"limit is a whole number from 1 to {MaxLimit}."];
        var cleaned = prefix is null ? null : NameText.Collapse(prefix);
        if (prefix is not null && (prefix.Length > TagNames.MaxLength * 4 || cleaned!.Length > TagNames.MaxLength || NameText.HasForbiddenCharacters(prefix)))
            errors["prefix"] = [$"prefix is at most {TagNames.MaxLength} characters, without control characters."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The request is invalid.");
        var list = await tags.ListAsync(cleaned, top, ct);
        return TypedResults.Ok(new TagListResponse(list.Select(t => new TagResponse(t.Name, t.Count)).ToList()));
    }
}
