using MediaLibrary.Auth;
using MediaLibrary.Delivery;
using MediaLibrary.Media;
using MediaLibrary.Web;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using System.Text.Json;

namespace MediaLibrary.Api;

public static class MediaEndpoints
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    // Multipart framing and the text fields around the file.
    private const long MultipartOverheadBytes = 1024 * 1024;

    private static readonly Dictionary<string, MediaOrdering> Orderings = new(StringComparer.Ordinal)
    {
        ["created_at"] = MediaOrdering.CreatedAt, ["-created_at"] = MediaOrdering.CreatedAtDesc,
        ["title"] = MediaOrdering.Title, ["-title"] = MediaOrdering.TitleDesc,
        ["size"] = MediaOrdering.Size, ["-size"] = MediaOrdering.SizeDesc,
    };

    public static RouteGroupBuilder MapMedia(this IEndpointRouteBuilder app, bool requireAuthForReads)
    {
        var api = app.MapGroup("/api/media").WithTags("Media");

        var reads = api.MapGroup("");
        if (requireAuthForReads) reads.RequireAuthorization(Policies.Read);
        reads.MapGet("", List).WithName("ListMedia")
            .WithSummary("List media, newest first by default; filter by search text, content type, folder (folder={id} or root; "
                + "recursive=true for everything below it), tags (tag=a&tag=b: media with all of them) and use (used=false: media used nowhere, "
                + "the candidates for clean-up; used=true). "
                + "next and previous are links with a cursor (page=N jumps); a search counts up to 1,000 matches (count_exact).");
        reads.MapGet("{id:long}", Get).WithName("GetMedia")
            .WithSummary("One media item, with an ETag; If-None-Match answers 304.");

        var writes = api.MapGroup("").RequireAuthorization(Policies.Edit);
        writes.MapPost("", Upload).WithName("UploadMedia")
            .WithSummary("Upload a file (multipart: file, title, alt_text, folder_id, tags as a comma-separated list). The type is detected from the bytes. " +
                "With an Idempotency-Key header a retried upload returns the first result.")
            .Accepts<UploadForm>("multipart/form-data")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        writes.MapPatch("{id:long}", Update).WithName("UpdateMedia")
            .WithSummary("Change title, alt text, folder_id (null: to the top) and/or tags (the whole list). If-Match with the ETag guards against lost updates.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        writes.MapPost("{id:long}/tags", AddTags).WithName("AddMediaTags")
            .WithSummary("Add tags to the media (those it has already stay once). If-Match as for PATCH.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        writes.MapDelete("{id:long}/tags", RemoveTags).WithName("RemoveMediaTags")
            .WithSummary("Remove the tags named by tag=… (repeatable) from the media; a tag it does not have is no error. If-Match as for PATCH.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        writes.MapPut("{id:long}/file", Replace).WithName("ReplaceMediaFile")
            .WithSummary("Replace the file: version + 1, a new URL; the old file is deleted from storage.")
            .Accepts<ReplaceForm>("multipart/form-data")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        writes.MapBulk();
        writes.MapDelete("{id:long}", Delete).WithName("DeleteMedia")
            .WithDescription("A media that is used somewhere (it has references) is refused with 409 and its references, unless force=true. "
                + "In the trash it is in no list, its file URLs answer 404 and caches are purged; its file, tags and references are kept "
                + "for a restore until MEDIALIB_TRASH_DAYS have passed. With MEDIALIB_TRASH_DAYS=0 every delete is permanent.")
            .WithSummary("Move the media to the trash; with permanent=true (also for media in the trash) delete the row and every stored byte of its file at once.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return api;
    }

    public static async Task<Results<Ok<MediaListResponse>, ValidationProblem, ProblemHttpResult>> List(
        HttpRequest request, MediaQueries media, FolderTree folders, MediaTags tags, MediaUrls urls, CancellationToken ct,
        [FromQuery] string? page = null, [FromQuery(Name = "page_size")] string? pageSize = null,
        [FromQuery] string? search = null, [FromQuery(Name = "content_type")] string? contentType = null,
        [FromQuery] string? ordering = null, [FromQuery] string? cursor = null,
        [FromQuery] string? folder = null, [FromQuery] string? recursive = null, [FromQuery] string[]? tag = null, [FromQuery] string? used = null)
    {
        var errors = new Dictionary<string, string[]>();
        var filter = new MediaFilter(search, contentType, folder, recursive, tag, used);
        filter.Validate(errors);
        var pageNumber = 1;
        if (page is not null && (!int.TryParse(page, out pageNumber) || pageNumber < 1))
            errors["page"] = ["page is a whole number from 1."];
        var size = DefaultPageSize;
        if (pageSize is not null && (!int.TryParse(pageSize, out size) || size < 1 || size > MaxPageSize))
            errors["page_size"] = [$"page_size is a whole number from 1 to {MaxPageSize}."];
        var order = MediaOrdering.CreatedAtDesc;
        if (ordering is not null && !Orderings.TryGetValue(ordering, out order))
            errors["ordering"] = [$"ordering is one of {string.Join(", ", Orderings.Keys)}."];
        MediaCursor? at = null;
        if (cursor is not null)
        {
            at = MediaCursor.Decode(cursor);
            if (at is null) errors["cursor"] = ["cursor is not one this service wrote; follow the next and previous links as given."];
            else if (page is not null) errors["cursor"] = ["cursor and page cannot be combined: a cursor already says where the page starts."];
            else if (ordering is not null && at.Ordering != order) errors["cursor"] = ["cursor belongs to another ordering; start again without it."];
            else order = at.Ordering;
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The request is invalid.");

        var resolved = await filter.ResolveAsync(folders, tags, ct);
        // A tag that no media ever had matches nothing: an empty list, as for a search that finds nothing.
        if (resolved.MatchesNothing) return TypedResults.Ok(new MediaListResponse(0, true, null, null, []));
        var list = await media.ListAsync(filter.Query(resolved, pageNumber, size, order, at), ct);
        // Links keep the filters and the page size and start from a cursor: following them never skips through rows.
        string Link(string name, string value) => $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}" +
            Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("", request.Query
                .Where(q => q.Key is not ("page" or "cursor" or "ordering"))
                .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
                .Append(new("ordering", Orderings.First(o => o.Value == order).Key))
                .Append(new(name, value)));
        var next = list.Next is { } n ? Link("cursor", n.Encode()) : null;
        var previous = list.Previous is { } p ? Link("cursor", p.Encode())
            // A numbered page beyond the end has no rows to start from; point back at the last page there is.
            : at is null && pageNumber > 1 && list.Items.Count == 0
                ? Link("page", Math.Max(1, (list.Count + size - 1) / size).ToString(System.Globalization.CultureInfo.InvariantCulture))
                : null;
        var pageTags = await tags.OfAsync(list.Items.Select(m => m.Id).ToList(), ct);
        return TypedResults.Ok(new MediaListResponse(list.Count, list.CountExact, next, previous, urls.Responses(request, list.Items, pageTags)));
    }

    public static async Task<Results<Ok<MediaResponse>, StatusCodeHttpResult, ProblemHttpResult>> Get(
        long id, HttpContext http, MediaQueries media, MediaTags tags, MediaUrls urls, CancellationToken ct)
    {
        var m = await media.FindAsync(id, ct);
        if (m is null) return await media.IsTrashedAsync(id, ct) ? InTrash(id) : NotFound(id);
        http.Response.Headers.ETag = m.ETag;
        if (http.Request.IfNoneMatches(m.ETag))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Ok(urls.Response(http.Request, m, await tags.OfAsync(m.Id, ct)));
    }

    public static async Task<Results<Created<MediaResponse>, ProblemHttpResult, ValidationProblem>> Upload(
        HttpContext http, MediaLifecycle media, MediaUrls urls, IOptions<WebOptions> web, CancellationToken ct)
    {
        IdempotencyKey? idempotency = null;
        if (http.Request.Headers.TryGetValue(IdempotencyKeyHeader, out var keys))
        {
            var key = keys.ToString();
            if (key.Length is 0 or > MediaRules.MaxIdempotencyKeyLength || key.Any(c => c is < (char)0x21 or > (char)0x7E))
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [IdempotencyKeyHeader] =
                    [$"{IdempotencyKeyHeader} is 1 to {MediaRules.MaxIdempotencyKeyLength} visible ASCII characters, such as a UUID."] },
                    title: "The request is invalid.");
            // Per user, and per API key: two keys' requests never replay each other's.
            idempotency = new(RequestOwner.Of(http.User), key);
        }
        if (TooLargeForLimit(http, media.MaxUploadBytes) is { } tooLarge) return tooLarge;

        var (m, tagNames, replayed) = await media.CreateAsync(Form(http.Request, media.MaxUploadBytes, web.Value), idempotency, ct);
        http.Response.Headers.ETag = m.ETag;
        if (replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
        return TypedResults.Created($"/api/media/{m.Id}", urls.Response(http.Request, m, tagNames));
    }

    public static async Task<Results<Ok<MediaResponse>, ProblemHttpResult>> Update(
        long id, UpdateMediaRequest body, HttpContext http, MediaLifecycle media, MediaUrls urls, CancellationToken ct)
    {
        FolderMove? move = body.FolderId.ValueKind switch
        {
            JsonValueKind.Undefined => null,
            JsonValueKind.Null => new FolderMove(null),
            JsonValueKind.Number when body.FolderId.TryGetInt64(out var folderId) && folderId > 0 => new FolderMove(folderId),
            _ => throw new RequestValidationException(new Dictionary<string, string[]> { ["folder_id"] = ["folder_id is a folder's id, or null for the top."] }),
        };
        var change = body.Tags is null ? null : TagChange.Replace(TagNames.CleanAll(body.Tags, "tags"));
        return await EditAsync(id, new MediaEdit(body.Title, body.AltText, move, change), http, media, urls, ct);
    }

    public static Task<Results<Ok<MediaResponse>, ProblemHttpResult>> AddTags(
        long id, TagsRequest body, HttpContext http, MediaLifecycle media, MediaUrls urls, CancellationToken ct) =>
        EditAsync(id, new MediaEdit(Tags: TagChange.Adding(TagNames.CleanAll(body.Tags ?? [], "tags"))), http, media, urls, ct);

    public static Task<Results<Ok<MediaResponse>, ProblemHttpResult>> RemoveTags(
        long id, HttpContext http, MediaLifecycle media, MediaUrls urls, CancellationToken ct, [FromQuery] string[]? tag = null) =>
        EditAsync(id, new MediaEdit(Tags: TagChange.Removing(TagNames.CleanAll(tag ?? [], "tag"))), http, media, urls, ct);

    private static async Task<Results<Ok<MediaResponse>, ProblemHttpResult>> EditAsync(
        long id, MediaEdit edit, HttpContext http, MediaLifecycle media, MediaUrls urls, CancellationToken ct) =>
        Edited(id, await media.UpdateAsync(id, IfMatchOf(http.Request), edit, ct), http, urls);

    public static async Task<Results<Ok<MediaResponse>, ProblemHttpResult>> Replace(
        long id, HttpContext http, MediaLifecycle media, MediaUrls urls, IOptions<WebOptions> web, CancellationToken ct)
    {
        if (TooLargeForLimit(http, media.MaxUploadBytes) is { } tooLarge) return tooLarge;
        return Edited(id, await media.ReplaceFileAsync(id, IfMatchOf(http.Request), Form(http.Request, media.MaxUploadBytes, web.Value), ct), http, urls);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        long id, HttpContext http, MediaLifecycle media, CancellationToken ct, [FromQuery] bool force = false, [FromQuery] bool permanent = false)
    {
        return await media.DeleteAsync(id, IfMatchOf(http.Request), force, permanent, ct) is DeleteOutcome.NotFound
            ? NotFound(id)
            : TypedResults.NoContent();
    }

    /// <summary>The answer to a change: the media with its new ETag, from what the change committed (no read after it).</summary>
    private static Results<Ok<MediaResponse>, ProblemHttpResult> Edited(long id, TaggedMedia? changed, HttpContext http, MediaUrls urls)
    {
        if (changed is null) return NotFound(id);
        http.Response.Headers.ETag = changed.Media.ETag;
        return TypedResults.Ok(urls.Response(http.Request, changed.Media, changed.Tags));
    }

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Media not found.", detail: $"There is no media with id {id}.");

    private static ProblemHttpResult InTrash(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Media not found.",
            detail: $"Media {id} is in the trash; POST /api/media/{id}/restore brings it back.", extensions: new Dictionary<string, object?> { ["trashed"] = true });

    /// <summary>Raises the body limit to the upload limit for this request, and refuses a declared length over it at once.</summary>
    private static ProblemHttpResult? TooLargeForLimit(HttpContext http, long maxUploadBytes)
    {
        var limit = maxUploadBytes + MultipartOverheadBytes;
        if (http.Request.ContentLength > limit)
        {
            var problem = UploadLimits.TooLarge(maxUploadBytes);
            return TypedResults.Problem(statusCode: problem.Status, title: problem.Title, detail: problem.Message, extensions: problem.Extensions);
        }
        var feature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false }) feature.MaxRequestBodySize = limit;
        return null;
    }

    /// <summary>The request's multipart form, read as it arrives: the file part streams into the lifecycle.</summary>
    private static UploadReader Form(HttpRequest request, long maxUploadBytes, WebOptions web) =>
        (onFile, ct) => MultipartUpload.ReadAsync(request, maxUploadBytes, FormLimits.From(web), onFile, ct);

    /// <summary>If-Match through ASP.NET's typed headers (the same parser as If-None-Match); an unparsable value matches nothing.</summary>
    internal static IfMatch IfMatchOf(HttpRequest request)
    {
        var raw = request.Headers.IfMatch.ToString();
        return string.IsNullOrWhiteSpace(raw) ? IfMatch.None : new IfMatch(true, request.GetTypedHeaders().IfMatch.ToList(), raw);
    }

    /// <summary>OpenAPI description of the upload form (the handler reads the body as a stream).</summary>
    public sealed record UploadForm(IFormFile File, string? Title, string? AltText, long? FolderId, string? Tags);

    /// <summary>OpenAPI description of the replace form.</summary>
    public sealed record ReplaceForm(IFormFile File);
}
