using MediaLibrary.Auth;
using MediaLibrary.Cleanup;
using MediaLibrary.Data;
using MediaLibrary.Imaging;
using MediaLibrary.Media;
using MediaLibrary.Storage;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Hosting;

/// <summary>First-start work and the one configuration summary the service logs.</summary>
internal static partial class Startup
{
    public static async Task PrepareAsync(WebApplication app, CancellationToken ct)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MediaLibrary.Startup");
        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (!string.IsNullOrEmpty(auth.AdminPassword)) UserAccounts.ValidatePassword(auth.AdminPassword);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var generated = await scope.ServiceProvider.GetRequiredService<UserAccounts>().EnsureAdminAsync(auth, ct);
            if (generated is not null)
            {
                // Printed once, to the console only: never through the logging pipeline.
                Console.WriteLine($"""

                    Created the first user '{auth.AdminUser}' (role admin) with the password: {generated}
                    It is shown only this once. Change it with: users set-password {auth.AdminUser}

                    """);
            }
        }

        // A misconfigured storage (wrong secret, missing bucket or cloud) stops the start with a message naming it.
        var storage = app.Services.GetRequiredService<StorageRegistry>();
        await storage.Active.CheckAsync(ct);
        LogStorageChecked(logger, storage.Active.Provider);

        app.Services.GetRequiredService<ImageProcessor>(); // loads libvips now, not on the first upload
        app.Services.GetRequiredService<TransformSigner>();
        var imaging = app.Services.GetRequiredService<IOptions<ImagingOptions>>().Value;
        LogImaging(logger, NetVips.NetVips.Version(0), NetVips.NetVips.Version(1), NetVips.NetVips.Version(2), string.Join(",", imaging.WidthList),
            imaging.VariantFormatName, imaging.Concurrency, string.IsNullOrEmpty(imaging.SigningKey) ? "from the data folder" : "from MEDIALIB_IMAGE_SIGNING_KEY");

        var media = app.Services.GetRequiredService<IOptions<MediaOptions>>().Value;
        var key = app.Services.GetRequiredService<JwtSigningKey>();
        LogConfiguration(logger,
            app.Services.GetRequiredService<DatabaseSettings>().Describe(),
            string.Join(" + ", storage.All.OrderByDescending(s => s == storage.Active).Select(s => s.Describe())),
            key.Source == "MEDIALIB_JWT_SIGNING_KEY" ? "from MEDIALIB_JWT_SIGNING_KEY" : $"from file {key.Source}",
            media.RequireAuthForReads ? "token required" : "anonymous",
            UploadLimits.FormatBytes(media.MaxUploadBytes),
            string.IsNullOrWhiteSpace(media.AllowedTypes) ? "default" : media.AllowedTypes,
            app.Services.GetRequiredService<IOptions<CleanupOptions>>().Value.CachePurgeUrl is { Length: > 0 } purge
                ? $"PURGE to {new Uri(purge).GetComponents(UriComponents.SchemeAndServer, UriFormat.Unescaped)}" // never the user info
                : "none");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage {Provider} checked: write, read and delete of a probe object: result=ok")]
    private static partial void LogStorageChecked(ILogger logger, string provider);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Images: libvips {Major}.{Minor}.{Patch}; variant widths {Widths} as {Format}; {Concurrency} at once; transform signing key {SigningKey}")]
    private static partial void LogImaging(ILogger logger, int major, int minor, int patch, string widths, string format, int concurrency, string signingKey);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Configuration: database={Database}; storage={Storage}; auth=JWT HS256, signing key {SigningKey}; reads={Reads}; max upload={MaxUpload}; allowed types={AllowedTypes}; cache purge={CachePurge}")]
    private static partial void LogConfiguration(ILogger logger, string database, string storage, string signingKey, string reads, string maxUpload, string allowedTypes,
        string cachePurge);
}
