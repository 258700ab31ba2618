using System.Globalization;
using MediaLibrary.Auth;
using MediaLibrary.Uploads;
using MediaLibrary.Web;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaLibrary.Api;

/// <summary>
/// Resumable uploads: the tus 1.0 protocol (tus.io/protocols/resumable-upload) with its creation, creation-with-upload,
/// termination, expiration and checksum (sha256) extensions. The last byte makes the media, through the same checks
/// as POST /api/media; the answer names it in Media-Id.
/// </summary>
public static class UploadEndpoints
{
    public const string TusVersion = "1.0.0";
    public const string MediaIdHeader = "Media-Id";
    private const string OffsetContentType = "application/offset+octet-stream";
    private const string Extensions = "creation,creation-with-upload,termination,expiration,checksum";

    public static void MapUploads(this IEndpointRouteBuilder app)
    {
        var uploads = app.MapGroup("/api/uploads").WithTags("Uploads");
        // tus discovery (Tus-Version, Tus-Extension, Tus-Max-Size, Tus-Checksum-Algorithm), for tus clients; not an API operation.
        uploads.MapMethods("", ["OPTIONS"], Options).AllowAnonymous().ExcludeFromDescription();
        var writes = uploads.MapGroup("").RequireAuthorization(Policies.Edit).AddEndpointFilter(RequireTusVersion);
        writes.MapPost("", Create).WithName("CreateUpload")
            .WithSummary("Create a resumable upload (tus): Upload-Length, and Upload-Metadata with filename, filetype, title, alt_text, folder_id and tags "
                + "(each Base64). A body of type application/offset+octet-stream is its first piece. Location names the upload.")
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status501NotImplemented);
        writes.MapMethods("{id}", ["HEAD"], Head).WithName("GetUploadOffset")
            .WithSummary("How far the upload got (Upload-Offset of Upload-Length), and the media it became (Media-Id) once finished.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        writes.MapPatch("{id}", Append).WithName("AppendToUpload")
            .WithSummary("Append a piece (application/offset+octet-stream) at Upload-Offset; Upload-Checksum: sha256 <Base64> checks it. "
                + "The last piece makes the media: Media-Id names it.")
            .Accepts<byte[]>(OffsetContentType)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        writes.MapDelete("{id}", Terminate).WithName("TerminateUpload")
            .WithSummary("Terminate an upload: what it stored is deleted.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var direct = app.MapGroup("/api/uploads/direct").WithTags("Uploads").RequireAuthorization(Policies.Edit);
        direct.MapPost("", CreateDirect).WithName("CreateDirectUpload")
            .WithSummary("Begin a direct upload (S3 or Cloudinary storage): on S3 the client PUTs the file's parts to the presigned URLs answered; on "
                + "Cloudinary it posts the file with the signed fields to upload_url (in chunks of part_size, with Content-Range and X-Unique-Upload-Id: "
                + "chunk_upload_id, when larger); then it completes the upload. The bytes never pass through the service.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status501NotImplemented);
        direct.MapPost("{id}/complete", CompleteDirect).WithName("CompleteDirectUpload")
            .WithSummary("Complete a direct upload (on S3 with each part's ETag, in order): the stored file's size, type and SHA-256 are checked and the media made "
                + "(201; asked again, 200 with the same media). A file that fails a check is deleted.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        direct.MapDelete("{id}", AbortDirect).WithName("AbortDirectUpload")
            .WithSummary("Abort a direct upload: the parts sent are deleted.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static async Task<Created<DirectUploadResponse>> CreateDirect(DirectUploadRequest body, HttpContext http, ResumableUploads uploads, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.FileName)) throw RequestValidationException.For("file_name", "file_name is the file's name.");
        if (body.Size <= 0) throw RequestValidationException.For("size", "size is the file's length in bytes, more than 0.");
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["filename"] = body.FileName };
        if (body.ContentType is not null) metadata["filetype"] = body.ContentType;
        if (body.Title is not null) metadata["title"] = body.Title;
        if (body.AltText is not null) metadata["alt_text"] = body.AltText;
        if (body.FolderId is { } folder) metadata["folder_id"] = folder.ToString(CultureInfo.InvariantCulture);
        if (body.Tags is { Count: > 0 } tags) metadata["tags"] = string.Join(",", tags);
        var (upload, target) = await uploads.CreateDirectAsync(Owner(http), body.Size, metadata, body.Sha256, ct);
        var expires = target.Form is { } form && form.ExpiresAt.UtcDateTime < upload.ExpiresAt ? form.ExpiresAt.UtcDateTime : upload.ExpiresAt;
        return TypedResults.Created($"/api/uploads/direct/{upload.Id}", new DirectUploadResponse(upload.Id, upload.Provider, target.PartSize, target.PartUrls,
            target.Form?.Url, target.Form?.Fields, target.Form is null ? null : target.UploadId, DateTime.SpecifyKind(expires, DateTimeKind.Utc)));
    }

    public static async Task<Results<Created<Delivery.MediaResponse>, Ok<Delivery.MediaResponse>, ProblemHttpResult>> CompleteDirect(
        string id, CompleteDirectUploadRequest? body, HttpContext http, ResumableUploads uploads, Media.MediaQueries media, Media.MediaTags tags,
        Delivery.MediaUrls urls, CancellationToken ct)
    {
        var etags = body?.Etags ?? [];
        if (etags.Count > Storage.S3.S3BlobStore.MaxParts || etags.Any(e => string.IsNullOrWhiteSpace(e) || e.Length > 256))
            throw RequestValidationException.For("etags", "etags are the ETag each part's PUT answered with, one per part URL, in order.");
        if (await uploads.FindAsync(id, Owner(http), direct: true, ct) is not { } upload)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such upload.",
                detail: "The direct upload does not exist, expired, or was aborted or refused; begin a new one.");
        var already = upload.MediaId is not null;
        upload = await uploads.CompleteDirectAsync(upload, etags, ct);
        if (await media.FindAsync(upload.MediaId!.Value, ct) is not { } made)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "The media is gone.",
                detail: $"The upload made media {upload.MediaId}, which was deleted since.");
        var response = urls.Response(http.Request, made, await tags.OfAsync(made.Id, ct));
        http.Response.Headers.ETag = made.ETag;
        return already ? TypedResults.Ok(response) : TypedResults.Created($"/api/media/{made.Id}", response);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> AbortDirect(string id, HttpContext http, ResumableUploads uploads, CancellationToken ct)
    {
        if (await uploads.FindAsync(id, Owner(http), direct: true, ct) is not { } upload)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such upload.", detail: "The direct upload does not exist, expired, or was aborted.");
        await uploads.TerminateAsync(upload, ct);
        return TypedResults.NoContent();
    }

    private static void TusHeaders(HttpResponse response) => response.Headers["Tus-Resumable"] = TusVersion;

    /// <summary>Every request but OPTIONS names the protocol's version (412 otherwise, with the versions spoken).</summary>
    private static async ValueTask<object?> RequireTusVersion(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        TusHeaders(http.Response);
        if (http.Request.Headers["Tus-Resumable"].ToString() == TusVersion) return await next(context);
        http.Response.Headers["Tus-Version"] = TusVersion;
        return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Unsupported tus version.",
            detail: $"Send Tus-Resumable: {TusVersion}.");
    }

    public static NoContent Options(HttpContext http, ResumableUploads uploads)
    {
        TusHeaders(http.Response);
        http.Response.Headers["Tus-Version"] = TusVersion;
        http.Response.Headers["Tus-Extension"] = Extensions;
        http.Response.Headers["Tus-Max-Size"] = uploads.MaxUploadBytes.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["Tus-Checksum-Algorithm"] = "sha256";
        return TypedResults.NoContent();
    }

    public static async Task<Results<Created, ProblemHttpResult>> Create(HttpContext http, ResumableUploads uploads, CancellationToken ct)
    {
        var request = http.Request;
        if (request.Headers.ContainsKey("Upload-Defer-Length"))
            throw RequestValidationException.For("Upload-Defer-Length", "The length must be known when the upload is created (Upload-Length).");
        var length = Number(request.Headers["Upload-Length"], "Upload-Length");
        if (length == 0) throw RequestValidationException.For("Upload-Length", "The file is empty.");
        var metadata = TusMetadata.Parse(request.Headers[TusMetadata.Header]);
        var upload = await uploads.CreateAsync(Owner(http), length, metadata, ct);
        http.Response.Headers.Location = $"/api/uploads/{upload.Id}";
        if (IsPiece(request) && (request.ContentLength is > 0 || request.ContentLength is null && request.Headers.TransferEncoding.Count > 0))
            upload = await uploads.AppendAsync(upload, 0, Body(http, upload), Checksum(request), ct);
        Describe(http.Response, upload);
        return TypedResults.Created($"/api/uploads/{upload.Id}");
    }

    public static async Task<Results<Ok, NotFound>> Head(string id, HttpContext http, ResumableUploads uploads, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        if (await uploads.FindAsync(id, Owner(http), direct: false, ct) is not { } upload) return TypedResults.NotFound();
        http.Response.Headers["Upload-Length"] = upload.Length.ToString(CultureInfo.InvariantCulture);
        Describe(http.Response, upload);
        return TypedResults.Ok();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Append(string id, HttpContext http, ResumableUploads uploads, CancellationToken ct)
    {
        var request = http.Request;
        if (!IsPiece(request))
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Send the piece as application/offset+octet-stream.",
                detail: $"A piece's Content-Type is {OffsetContentType}.");
        var offset = Number(request.Headers["Upload-Offset"], "Upload-Offset");
        var checksum = Checksum(request);
        if (await uploads.FindAsync(id, Owner(http), direct: false, ct) is not { } upload)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such upload.",
                detail: "The upload does not exist, expired, or was terminated; create a new one.");
        // The length is set when the upload is created (no Upload-Defer-Length here) and never changes.
        if (request.Headers.ContainsKey("Upload-Length") && Number(request.Headers["Upload-Length"], "Upload-Length") != upload.Length)
            throw RequestValidationException.For("Upload-Length", $"The upload's length is {upload.Length} bytes, as it was created; it cannot change.");
        Describe(http.Response, await uploads.AppendAsync(upload, offset, Body(http, upload), checksum, ct));
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Terminate(string id, HttpContext http, ResumableUploads uploads, CancellationToken ct)
    {
        if (await uploads.FindAsync(id, Owner(http), direct: false, ct) is not { } upload)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such upload.", detail: "The upload does not exist, expired, or was terminated.");
        await uploads.TerminateAsync(upload, ct);
        return TypedResults.NoContent();
    }

    private static string Owner(HttpContext http) => RequestOwner.Of(http.User);

    /// <summary>Where the upload is: its offset, its expiry, and the media it became once finished.</summary>
    private static void Describe(HttpResponse response, ResumableUpload upload)
    {
        response.Headers["Upload-Offset"] = upload.Offset.ToString(CultureInfo.InvariantCulture);
        response.Headers["Upload-Expires"] = upload.ExpiresAt.ToString("R", CultureInfo.InvariantCulture);
        if (upload.MediaId is { } mediaId) response.Headers[MediaIdHeader] = mediaId.ToString(CultureInfo.InvariantCulture);
    }

    private static bool IsPiece(HttpRequest request) =>
        request.ContentType is { } type && type.Split(';')[0].Trim().Equals(OffsetContentType, StringComparison.OrdinalIgnoreCase);

    /// <summary>The body, allowed up to one byte past what the upload lacks (so that a longer one is seen and refused).</summary>
    private static Stream Body(HttpContext http, ResumableUpload upload)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = upload.Length - upload.Offset + 1;
        return http.Request.Body;
    }

    private static long Number(string? value, string header) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number : throw RequestValidationException.For(header, $"{header} is a non-negative whole number of bytes.");

    /// <summary>Upload-Checksum: "sha256 " and the piece's digest in Base64; null when absent.</summary>
    private static byte[]? Checksum(HttpRequest request)
    {
        var value = request.Headers["Upload-Checksum"].ToString();
        if (value.Length == 0) return null;
        var parts = value.Split(' ', 2);
        if (parts.Length != 2 || !parts[0].Equals("sha256", StringComparison.Ordinal))
            throw RequestValidationException.For("Upload-Checksum", "The checksum algorithm is sha256: Upload-Checksum: sha256 <Base64 digest>.");
        var digest = new byte[32];
        return Convert.TryFromBase64String(parts[1], digest, out var length) && length == 32
            ? digest : throw RequestValidationException.For("Upload-Checksum", "The digest is 32 bytes in Base64.");
    }
}
