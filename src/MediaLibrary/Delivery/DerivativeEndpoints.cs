using MediaLibrary.Auth;
using MediaLibrary.Imaging;
using MediaLibrary.Media;
using MediaLibrary.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace MediaLibrary.Delivery;

/// <summary>Rendered sizes and formats of an image version, at URLs that may be cached forever.</summary>
public static class DerivativeEndpoints
{
    public static RouteHandlerBuilder MapDerivatives(this IEndpointRouteBuilder app, bool requireAuthForReads)
    {
        var files = app.MapMethods("/files/{id:long}/v{version:int}/{transform}/{name}", [HttpMethods.Get, HttpMethods.Head], Serve)
            .WithName("GetImageDerivative")
            .WithTags("Files")
            .WithSummary("A rendered size/format of an image version (w_, h_, fit_, f_, q_; configured widths, or signed), " +
                "rendered once, stored, and cached forever.");
        if (requireAuthForReads) files.RequireAuthorization(Policies.Read);
        return files;
    }

    public static async Task<IResult> Serve(long id, int version, string transform, HttpContext http, MediaQueries media, DerivativeRenderer renderer,
        StorageRegistry storage, TransformSigner signer, IOptions<ImagingOptions> imaging, IOptions<MediaOptions> mediaOptions, ILoggerFactory loggers,
        CancellationToken ct)
    {
        IResult NoFile() => TypedResults.Problem(statusCode: 404, title: "File not found.", detail: $"Media {id} has no file at version {version}.");
        var options = imaging.Value;
        if (!ImageTransform.TryParse(transform, options.MaxDimension, out var parsed, out var signature, out var error))
            return TypedResults.Problem(statusCode: 400, title: "The transform is not valid.", detail: error);
        if (signature is null && !parsed!.IsPreset(options.WidthList))
            return TypedResults.Problem(statusCode: 403, title: "This transform needs a signature.",
                detail: $"Without a signature only w_{{{string.Join('|', options.WidthList)}}},f_{{format}} is served (MEDIALIB_IMAGE_WIDTHS); sign others with POST /api/images/sign.");
        if (signature is not null && !signer.Verify(parsed!, signature))
            return TypedResults.Problem(statusCode: 403, title: "The transform's signature is wrong.", detail: $"'{transform}' is not signed with this service's key.");

        var m = await media.FindAsync(id, ct);
        if (m is null || m.Version != version)
            return NoFile();
        if (!ImageProcessor.CanRender(m.ContentType))
            return TypedResults.Problem(statusCode: 404, title: "No derivatives for this file.",
                detail: $"Media {id} is {m.ContentType}; only JPEG, PNG, GIF, WebP, AVIF and TIFF images are rendered. Use its url.");

        var resolved = parsed!.Resolve(http.Request.Headers.Accept, m.HasAlpha ?? false);
        if (parsed.Format == "auto") http.Response.Headers.Vary = "Accept";

        for (var attempt = 1; ; attempt++)
        {
            Derivative? row;
            try
            {
                row = await renderer.GetAsync(m, resolved, ct);
            }
            catch (BlobNotFoundException)
            {
                // The original went away under the render: replaced or deleted meanwhile (or a dangling row).
                return NoFile();
            }
            if (row is null)
                return NoFile();
            var store = storage.Find(row.StorageProvider)
                ?? throw new StorageException(row.StorageProvider, row.StorageKey, $"The derivative is in '{row.StorageProvider}' storage, which this node has not configured.");
            if (await FileDelivery.PresignedRedirectAsync(http, store, row.StorageKey, mediaOptions.Value, ct) is { } redirect) return redirect;
            var accel = FileDelivery.AccelPath(http.Request, store, row.StorageKey, mediaOptions.Value);
            var (found, content) = await FileDelivery.OpenAsync(store, row.StorageKey, accel, ct);
            if (!found && attempt == 1)
            {
                // The object went missing behind our back: forget the row and render it again.
                DeliveryLog.DerivativeMissing(loggers.CreateLogger(typeof(DerivativeEndpoints)), id, version, row.Transform, row.StorageKey, row.StorageProvider, row.CreatedAt);
                await renderer.ForgetAsync(row, ct);
                continue;
            }
            if (!found)
            {
                // Gone twice: a delete or replace retired this version under the render (a 404 is the truth), unless the
                // version still stands, when the storage lost the object.
                if (await media.FindAsync(id, ct) is not { } still || still.Version != version)
                    return NoFile();
                DeliveryLog.DerivativeMissingAgain(loggers.CreateLogger(typeof(DerivativeEndpoints)), id, version, row.Transform, row.StorageKey, row.StorageProvider);
                throw new StorageException(row.StorageProvider, row.StorageKey, $"The derivative at '{row.StorageKey}', just stored, is missing from {row.StorageProvider} storage.");
            }

            var headers = http.Response.Headers;
            headers.CacheControl = FileDelivery.FileCacheControl(mediaOptions.Value);
            var disposition = new ContentDispositionHeaderValue("inline");
            var extension = ImageTransform.Extension(row.ContentType["image/".Length..]);
            disposition.SetHttpFileName($"{Path.GetFileNameWithoutExtension(m.FileName)}.{extension}");
            headers.ContentDisposition = disposition.ToString();
            return FileDelivery.Send(http, content, accel, row.ContentType, $"\"{Path.GetFileName(row.StorageKey)}\"");
        }
    }
}
