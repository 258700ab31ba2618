using Amazon.Runtime;
using Amazon.S3;
using MediaLibrary.Storage.S3;
using Microsoft.Extensions.DependencyInjection;

namespace MediaLibrary.Tests.Infrastructure;

/// <summary>
/// A real S3-compatible server (s3rver, from tests/tools; `npm ci --prefix tests/tools` installs it) started once
/// per test run on a free port. Each test app gets a bucket of its own.
/// </summary>
public sealed class S3Server
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";
    private static readonly Lazy<Task<S3Server>> Shared = new(StartAsync);

    private S3Server(string endpoint, string? dataDirectory = null)
    {
        Endpoint = endpoint;
        DataDirectory = dataDirectory;
    }

    public string Endpoint { get; }

    /// <summary>Where the test server keeps its buckets (null for an external server).</summary>
    public string? DataDirectory { get; }

    /// <summary>The multipart uploads begun in the bucket and neither completed nor aborted (s3rver keeps a folder for each).</summary>
    public int UnfinishedUploads(string bucket) => UploadFolders(bucket).Length;

    /// <summary>The parts those uploads hold (s3rver keeps a file per part beside the upload's key and metadata).</summary>
    public int UnfinishedParts(string bucket) =>
        UploadFolders(bucket).Sum(d => Directory.GetFiles(d).Count(f => Path.GetFileName(f) is not ("key" or "metadata")));

    /// <summary>The ids of those uploads that hold at least one part.</summary>
    public HashSet<string> UnfinishedUploadsWithParts(string bucket) =>
        UploadFolders(bucket).Where(d => Directory.GetFiles(d).Any(f => Path.GetFileName(f) is not ("key" or "metadata")))
            .Select(Path.GetFileName).ToHashSet()!;

    private string[] UploadFolders(string bucket)
    {
        var folder = Path.Combine(DataDirectory ?? throw new InvalidOperationException("Counting unfinished uploads needs the local test server."),
            bucket, "._S3rver_uploads");
        return Directory.Exists(folder) ? Directory.GetDirectories(folder) : [];
    }

    public static Task<S3Server> GetAsync() => Shared.Value;

    public S3Options Options(string bucket, string? accessKey = null) => new()
    {
        Endpoint = Endpoint, Bucket = bucket, AccessKey = accessKey ?? AccessKey, SecretKey = SecretKey, ForcePathStyle = true, PartSizeMb = 5,
    };

    public async Task<string> CreateBucketAsync()
    {
        var bucket = "medialib-" + Guid.NewGuid().ToString("n")[..16];
        using var client = new AmazonS3Client(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config { ServiceURL = Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        await client.PutBucketAsync(bucket);
        return bucket;
    }

    private static async Task<S3Server> StartAsync()
    {
        var external = Environment.GetEnvironmentVariable("MEDIALIB_TEST_S3_ENDPOINT");
        if (!string.IsNullOrWhiteSpace(external)) return new S3Server(external);

        var data = Directory.CreateTempSubdirectory("medialib-s3-").FullName;
        var server = await NodeTool.StartAsync("s3rver-server.js", "s3rver", port => ["-d", data, "-p", port, "-a", "127.0.0.1", "--silent"]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { server.Process.Kill(entireProcessTree: true); Directory.Delete(data, recursive: true); }
            catch (Exception) { } // best effort at exit
        };
        return new S3Server($"http://127.0.0.1:{server.Port}", data);
    }

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MediaLibrary.slnx"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (MediaLibrary.slnx) was not found above " + AppContext.BaseDirectory);
    }

}

/// <summary>The whole in-process API suite with S3 as the storage.</summary>
public class S3MediaLibraryApp : MediaLibraryApp
{
    private S3Options? _s3;

    /// <summary>The bucket this app stores in, and how to reach it.</summary>
    public S3Options S3 => _s3 ?? throw new InvalidOperationException("The app is not started.");

    /// <summary>A client of the test server, for what the service does not show (an object's stored headers).</summary>
    public AmazonS3Client S3Client() => new(new BasicAWSCredentials(S3.AccessKey, S3.SecretKey),
        new AmazonS3Config { ServiceURL = S3.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    /// <summary>MEDIALIB_DELIVERY for this app; direct serves from the bucket's public URL.</summary>
    protected virtual string Delivery => "proxy";

    public override async ValueTask InitializeAsync()
    {
        var server = await S3Server.GetAsync();
        _s3 = server.Options(await server.CreateBucketAsync());
        Set("MEDIALIB_DELIVERY", Delivery);
        if (Delivery == "direct")
        {
            _s3.PublicBaseUrl = $"{_s3.Endpoint}/{_s3.Bucket}";
            Set("MEDIALIB_PUBLIC_BASE_URL", _s3.PublicBaseUrl);
        }
        Set("MEDIALIB_STORAGE", "s3");
        Set("MEDIALIB_S3_ENDPOINT", _s3.Endpoint);
        Set("MEDIALIB_S3_BUCKET", _s3.Bucket);
        Set("MEDIALIB_S3_ACCESS_KEY", _s3.AccessKey);
        Set("MEDIALIB_S3_SECRET_KEY", _s3.SecretKey);
        Set("MEDIALIB_S3_FORCE_PATH_STYLE", "true");
        Set("MEDIALIB_S3_PART_SIZE_MB", "5");
        await base.InitializeAsync();
    }

    protected override MediaLibrary.Storage.IBlobStore CreateStore(IServiceProvider services) =>
        new S3BlobStore(Microsoft.Extensions.Options.Options.Create(_s3!));
}

/// <summary>The whole in-process API suite with Cloudinary (the local stub) as the storage.</summary>
public class CloudinaryMediaLibraryApp : MediaLibraryApp
{
    public CloudinaryStub Stub { get; private set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        Stub = await CloudinaryStub.StartAsync();
        foreach (var (key, value) in Stub.Settings()) Set(key, value);
        await base.InitializeAsync();
    }

    protected override MediaLibrary.Storage.IBlobStore CreateStore(IServiceProvider services) =>
        new MediaLibrary.Storage.Cloudinary.CloudinaryBlobStore(
            services.GetRequiredService<IHttpClientFactory>(),
            Microsoft.Extensions.Options.Options.Create(Stub.Options()), TimeProvider.System);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Stub.DisposeAsync();
    }
}
