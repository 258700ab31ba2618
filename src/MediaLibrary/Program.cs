using System.CommandLine;
using System.Text.Json;
using System.Threading.RateLimiting;
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
using MediaLibrary.Web;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
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
    app.UseMetricsPort(telemetry);
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.UseMediaLibraryHeaders();
    app.UseClientModule();
    app.UseCors();
    app.UseAuthentication();
    app.UseAuthorization();
    app.UseRateLimiter();

    var requireAuthForReads = app.Services.GetRequiredService<IOptions<MediaOptions>>().Value.RequireAuthForReads;
    app.MapOpenApi();
    app.MapScalarApiReference("/api/reference");
    app.MapEditorPage();
    app.MapHealth();
    app.MapAuth();
    app.MapAdmin();
    app.MapMedia(requireAuthForReads);
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
    var urls = !string.IsNullOrEmpty(config["urls"]) ? config["urls"] : !string.IsNullOrEmpty(config["ASPNETCORE_URLS"]) ? null : "http://localhost:5080";
    if (telemetry.MetricsPort is not null) urls = (urls ?? config["ASPNETCORE_URLS"]) + ";" + telemetry.MetricsUrl!.TrimEnd('/');
    if (urls is not null) builder.WebHost.UseUrls(urls);
    var data = DataOptions.From(config);
    var dataDir = new DataDirectory(data);
    services.AddSingleton(dataDir);
    services.AddSingleton(TimeProvider.System);
    services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDir.Path, "keys")));

    services.AddOptions<MediaOptions>().Bind(config).ValidateDataAnnotations().ValidateOnStart();
    services.AddOptions<AuthOptions>().Bind(config).ValidateDataAnnotations().ValidateOnStart();
    services.AddOptions<CleanupOptions>().Bind(config).ValidateDataAnnotations().ValidateOnStart();
    services.AddOptions<ReconcileOptions>().Bind(config).ValidateDataAnnotations().ValidateOnStart();
    services.AddOptions<ImagingOptions>().Bind(config).ValidateDataAnnotations().ValidateOnStart();

    var database = DatabaseSettings.From(data, dataDir.Path);
    services.AddMediaDatabase(database);
    services.AddOptions<TelemetryOptions>().Bind(config).ValidateDataAnnotations().ValidateOnStart();
    services.AddMediaLibraryTelemetry(telemetry, database.Provider);
    services.AddMediaStorage(config, dataDir.Path);
    services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database").AddCheck<DeletionBacklogHealthCheck>("deletions");

    // Cleanup: the durable queue, its worker and the reconciler; it asks Media which objects rows reference.
    services.AddScoped<CleanupQueue>();
    services.AddScoped<Reconciler>();
    services.AddScoped<IStorageReferences, MediaStorageReferences>();
    services.AddScoped<ICleanupPass, IdempotencyKeyExpiry>();

    // Imaging: libvips, with the loaders of the accepted upload types only.
    services.AddSingleton(sp => new ImageProcessor(sp.GetRequiredService<IOptions<ImagingOptions>>(),
        sp.GetRequiredService<IOptions<MediaOptions>>().Value.IsAllowed, sp.GetRequiredService<ILogger<ImageProcessor>>()));
    services.AddSingleton(ImageEndpoints.CreateSigner);

    // Media: the lifecycle, the queries, and the one retirement path.
    services.AddScoped<MediaLifecycle>();
    services.AddScoped<MediaQueries>();
    services.AddScoped<ListPlanner>();
    services.AddScoped<VersionRetirement>();
    services.AddScoped<Derivatives>();
    services.AddScoped<StorageMigration>();
    services.AddSingleton<FileLookups>();
    services.AddMemoryCache(o => o.SizeLimit = 100_000); // file lookups by (id, version)

    // Delivery: URLs, renders, and the purge of retired URLs from the cache in front.
    services.AddSingleton<MediaUrls>();
    services.AddSingleton<DerivativeRenderer>();
    services.AddHttpClient<CachePurger>(c => c.Timeout = TimeSpan.FromSeconds(30));
    services.AddTransient<ICleanupHandler>(sp => sp.GetRequiredService<CachePurger>());
    services.AddScoped<IRetirementFollowUp, CachePurgeFollowUp>();

    services.AddScoped<UserAccounts>();
    services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
    services.AddSingleton<JwtSigningKey>();
    services.AddSingleton<TokenService>();
    if (!verb)
    {
        services.AddHostedService<CleanupWorker>();
        services.AddHostedService<ReconcileWorker>();
    }

    services.ConfigureHttpJsonOptions(o =>
    {
        o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        o.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
    });
    services.AddProblemDetails(o => o.CustomizeProblemDetails = ApiExceptionHandler.Customize);
    services.AddExceptionHandler<ApiExceptionHandler>();
    services.AddOpenApi(o => o.AddDocumentTransformer<BearerSecurityTransformer>());

    services.AddOptions<WebOptions>().Bind(config).ValidateDataAnnotations().ValidateOnStart();
    services.AddCors();
    services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IOptions<WebOptions>>((cors, web) => cors.AddDefaultPolicy(policy =>
    {
        // Website frontends on other origins call the API with bearer tokens (no cookies), so listing origins is enough.
        var origins = web.Value.CorsOriginList;
        if (origins.Contains("*")) policy.AllowAnyOrigin();
        else policy.WithOrigins(origins.ToArray());
        policy.WithMethods("GET", "HEAD", "POST", "PATCH", "PUT", "DELETE")
            .WithHeaders("Authorization", "Content-Type", "If-Match", "If-None-Match", "Idempotency-Key", "Range")
            .WithExposedHeaders("ETag", "Location", "Idempotent-Replayed", "Content-Range");
    }));
    services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
    services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<JwtSigningKey, TimeProvider>((o, key, time) =>
    {
        o.MapInboundClaims = false;
        o.TokenValidationParameters = TokenService.ValidationParameters(key, time);
    });
    services.AddAuthorizationBuilder()
        .AddPolicy(Policies.Read, p => p.RequireAuthenticatedUser())
        .AddPolicy(Policies.Edit, p => p.RequireRole(Roles.Editor, Roles.Admin))
        .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin));
    services.AddRateLimiter(o =>
    {
        o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        o.AddPolicy(AuthEndpoints.TokenRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = http.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.TokenRequestsPerMinute,
                Window = TimeSpan.FromMinutes(1),
            }));
    });

    var app = builder.Build();
    // Every setting first, all at once: a refused value stops the start with a line naming its variable, before the
    // database is touched and before the host starts (which would log the same failure again with a stack trace).
    app.Services.GetRequiredService<IStartupValidator>().Validate();
    return app;
}

public partial class Program;
