using MediaLibrary.Tests.Infrastructure;

namespace MediaLibrary.Tests.Api;

/// <summary>
/// The HTTP API, end to end in-process. Written once, run on SQLite and on a real PostgreSQL server. Tests share
/// one app per class and never depend on each other's data: each creates what it reads.
/// </summary>
public abstract partial class ApiTests(MediaLibraryApp app)
{
    protected MediaLibraryApp App { get; } = app;

    protected static string Unique(string prefix = "t") => prefix + Guid.NewGuid().ToString("n")[..10];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;
}

public sealed class SqliteApiTests(MediaLibraryApp app) : ApiTests(app), IClassFixture<MediaLibraryApp>;

public sealed class PostgresApiTests(PostgresMediaLibraryApp app) : ApiTests(app), IClassFixture<PostgresMediaLibraryApp>;

public sealed class S3ApiTests(S3MediaLibraryApp app) : ApiTests(app), IClassFixture<S3MediaLibraryApp>;

public sealed class CloudinaryApiTests(CloudinaryMediaLibraryApp app) : ApiTests(app), IClassFixture<CloudinaryMediaLibraryApp>;
