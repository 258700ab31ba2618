using System.Net.Http.Headers;
using MediaLibrary.Auth;
using MediaLibrary.Data;
using MediaLibrary.Storage;
using MediaLibrary.Storage.Local;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Tests.Infrastructure;

/// <summary>
/// A fresh service per test class: its own data folder (SQLite file, local storage, signing key) or its own
/// PostgreSQL database. Settings go in through the same keys an operator uses.
/// </summary>
public class MediaLibraryApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminPassword = "admin-password-1";
    private readonly Dictionary<string, string?> _settings = new();
    private readonly Dictionary<string, User> _users = new();
    private readonly SemaphoreSlim _userLock = new(1, 1);

    public MediaLibraryApp() : this(null)
    {
    }

    /// <summary>With <paramref name="dataDir"/>: a restart over the data (and database) of an earlier instance.</summary>
    protected MediaLibraryApp(string? dataDir)
    {
        DataDir = dataDir ?? Path.Combine(Path.GetTempPath(), "medialib-test-" + Guid.NewGuid().ToString("n")[..12]);
        Directory.CreateDirectory(DataDir);
        _settings["MEDIALIB_DATA_DIR"] = DataDir;
        _settings["MEDIALIB_ADMIN_PASSWORD"] = AdminPassword;
        _settings["MEDIALIB_TOKEN_RATE_LIMIT"] = "100000";
        _settings["MEDIALIB_MAX_UPLOAD_BYTES"] = (2 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);
        // The suites written for deletion expect a delete to delete at once; the trash suites turn it on.
        _settings["MEDIALIB_TRASH_DAYS"] = "0";
    }

    public string DataDir { get; }
    public string StorageRoot => Path.Combine(DataDir, "files");
    public virtual bool UsePostgres => false;

    /// <summary>Keep the data folder when disposed, for a restart over it.</summary>
    public bool KeepData { get; set; }

    public string? Database => _settings.GetValueOrDefault("MEDIALIB_DATABASE");

    /// <summary>Wraps the real local store so a test can make storage calls fail.</summary>
    public FaultyBlobStore Storage => (FaultyBlobStore)Services.GetRequiredService<StorageRegistry>().Active;

    public FakeLogCollector Logs => Services.GetRequiredService<FakeLogCollector>();

    protected void Set(string key, string? value) => _settings[key] = value;

    public virtual async ValueTask InitializeAsync()
    {
        if (UsePostgres && Database is null)
            _settings["MEDIALIB_DATABASE"] = await (await PostgresServer.GetAsync()).CreateDatabaseAsync();
        _ = Server; // start now: migrations and the first admin happen here, not inside the first test
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            services.AddFakeLogging();
            services.RemoveAll<IBlobStore>();
            services.AddSingleton<IBlobStore>(sp => new FaultyBlobStore(WrapStore(CreateStore(sp))));
            ConfigureTestServices(services);
        });
    }

    protected virtual void ConfigureTestServices(IServiceCollection services) { }

    protected virtual IBlobStore WrapStore(IBlobStore store) => store;

    /// <summary>The real adapter under test: local by default, S3 in the S3 suites.</summary>
    protected virtual IBlobStore CreateStore(IServiceProvider services) =>
        new LocalBlobStore(services.GetRequiredService<IOptions<LocalStorageOptions>>());

    /// <summary>A client carrying a real token for a user of that role (created on first use).</summary>
    public async Task<HttpClient> ClientAsync(string? role = Roles.Editor)
    {
        var client = CreateClient();
        if (role is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(role));
        return client;
    }

    /// <summary>A fresh token (issued at the app's own clock, which may be a fake one) for that role's test user.</summary>
    public async Task<string> TokenAsync(string role)
    {
        await using var scope = Services.CreateAsyncScope();
        await _userLock.WaitAsync();
        User user;
        try
        {
            if (!_users.TryGetValue(role, out user!))
            {
                var name = $"{role}-user";
                _users[role] = user = await scope.ServiceProvider.GetRequiredService<MediaDbContext>().Users.FirstOrDefaultAsync(u => u.UserName == name)
                    ?? await scope.ServiceProvider.GetRequiredService<UserAccounts>().AddAsync(name, role, "password-" + role, CancellationToken.None);
            }
        }
        finally
        {
            _userLock.Release();
        }
        return (await scope.ServiceProvider.GetRequiredService<TokenService>().IssueAsync(user, CancellationToken.None)).AccessToken;
    }

    public async Task<T> WithDbAsync<T>(Func<MediaDbContext, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<MediaDbContext>());
    }

    public Task<string> StorageKeyAsync(long mediaId) =>
        WithDbAsync(db => db.Media.Where(m => m.Id == mediaId).Select(m => m.StorageKey).SingleAsync());

    /// <summary>Every stored object's key, as the storage itself lists it.</summary>
    public List<string> StoredKeys() =>
        Storage.ListAsync("", null, CancellationToken.None).ToBlockingEnumerable().Select(i => i.Key).Order(StringComparer.Ordinal).ToList();

    public async Task<byte[]> ReadStoredAsync(string key)
    {
        await using var stream = await Storage.OpenReadAsync(key, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    public List<string> TempFiles() => Directory.Exists(Path.Combine(StorageRoot, ".tmp"))
        ? Directory.EnumerateFiles(Path.Combine(StorageRoot, ".tmp")).ToList()
        : [];

    /// <summary>Every key a row references: originals and rendered derivatives.</summary>
    public async Task<List<string>> ReferencedKeysAsync() =>
        (await WithDbAsync(db => db.Media.Select(m => m.StorageKey).Concat(db.Derivatives.Select(d => d.StorageKey)).ToListAsync()))
            .Order(StringComparer.Ordinal).ToList();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!KeepData)
        {
            try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { }
        }
        GC.SuppressFinalize(this);
    }
}

public class PostgresMediaLibraryApp : MediaLibraryApp
{
    public override bool UsePostgres => true;
}
