using System.CommandLine;
using MediaLibrary.Api;
using MediaLibrary.Auth;
using MediaLibrary.Cleanup;
using MediaLibrary.Data;
using MediaLibrary.Delivery;
using MediaLibrary.Hosting;
using MediaLibrary.Imaging;
using MediaLibrary.Media;
using MediaLibrary.Operations;
using MediaLibrary.Page;
using MediaLibrary.Storage;
using MediaLibrary.Uploads;
using MediaLibrary.Web;
using MediaLibrary.Webhooks;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

DotEnv.Load(Path.Combine(Directory.GetCurrentDirectory(), ".env"));
try
{
    var commandLine = CommandLineApp.Create(ServeAsync, VerbServicesAsync, Console.In);
    // The service handles SIGTERM and Ctrl+C itself (a graceful stop); the exception handlers below print failures.
    return await CommandLineApp.RunAsync(commandLine, args,
        new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, CancellationToken.None);
}
catch (Exception ex) when (ex is OptionsValidationException or ArgumentException or InvalidOperationException or FormatException)
{
    // A misconfiguration: one clear line naming what is wrong, no stack trace.
    Console.Error.WriteLine($"MediaLibrary cannot start: {ex.Message}");
    return ExitCodes.Failed;
}
catch (StorageException ex)
{
    Console.Error.WriteLine($"MediaLibrary cannot start: the {ex.Provider} storage failed its check: {ex.Message.ReplaceLineEndings(" ")}");
    return ExitCodes.Failed;
}
catch (Exception ex) when (ex is not HostAbortedException)
{
    // Not a misconfiguration we know of: the cause with its stack trace, for a bug report.
    Console.Error.WriteLine($"MediaLibrary stopped on an unexpected error: {ex}");
    return ExitCodes.Failed;
}

// The service: the server with every feature, listening until it is stopped.
async Task<int> ServeAsync(CancellationToken ct)
{
    var app = Build(args, verb: false);
    await DatabaseSetup.MigrateAsync(app.Services, ct);
    await Startup.PrepareAsync(app, ct);

    var telemetry = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
    app.UseForwardedHeaders();
    app.UseMetricsPort(telemetry);
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.UseRequestBounds();
    app.UseMediaLibraryHeaders();
    app.UseClientModule();
    app.UseCors();
    app.UseAuthentication();
    app.UseAuthorization();
    app.UseChangeActor();
    app.UseRateLimiter();

    var requireAuthForReads = app.Services.GetRequiredService<IOptions<MediaOptions>>().Value.RequireAuthForReads;
    app.MapOpenApi();
    app.MapScalarApiReference("/api/reference");
    app.MapEditorPage();
    app.MapHealth();
    app.MapAuth();
    app.MapAdmin();
    app.MapUsers();
    app.MapApiKeys();
    app.MapWebhooks();
    app.MapMedia(requireAuthForReads);
    app.MapUploads();
    app.MapFolders(requireAuthForReads);
    app.MapTags(requireAuthForReads);
    app.MapReferences(requireAuthForReads);
    app.MapTrash();
    app.MapHistory();
    app.MapFiles(requireAuthForReads);
    app.MapDerivatives(requireAuthForReads);
    app.MapImages();
    app.MapMetrics(telemetry);

    await app.RunAsync();
    return ExitCodes.Ok;
}

// A verb's services: the same configuration (the environment and .env; the verb's own arguments are not settings),
// the database migrated, quiet logging, no background work.
async Task<IServiceProvider> VerbServicesAsync(CancellationToken ct)
{
    var app = Build([], verb: true);
    await DatabaseSetup.MigrateAsync(app.Services, ct);
    return app.Services;
}

static WebApplication Build(string[] args, bool verb)
{
    // Content (appsettings.json, later the page's assets) ships beside the executable; data goes where the user is.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    if (verb) builder.Logging.SetMinimumLevel(LogLevel.Warning);
    var config = builder.Configuration;
    var services = builder.Services;
    var telemetry = config.Get<TelemetryOptions>() ?? new TelemetryOptions();
    builder.WebHost.ListenOn(config, telemetry);
    var data = DataOptions.From(config);
    var dataDir = new DataDirectory(data);
    services.AddSingleton(dataDir);
    services.AddSingleton(TimeProvider.System);

    var database = DatabaseSettings.From(data, dataDir.Path);
    services.AddMediaDatabase(database);
    services.AddMediaStorage(config, dataDir.Path);
    services.AddCleanup(config, background: !verb);
    services.AddImaging(config, MediaSetup.AcceptedTypes);
    services.AddMedia(config);
    services.AddUploads(config);
    services.AddDelivery();
    services.AddWebhooks(config, background: !verb);
    services.AddAuth(config);
    services.AddWeb(config);
    services.AddEditorPage();
    services.AddHosting(config, telemetry, database.Provider);

    var app = builder.Build();
    // Every setting first, all at once: a refused value stops the start with a line naming its variable, before the
    // database is touched and before the host starts (which would log the same failure again with a stack trace).
    app.Services.GetRequiredService<IStartupValidator>().Validate();
    return app;
}

public partial class Program;
