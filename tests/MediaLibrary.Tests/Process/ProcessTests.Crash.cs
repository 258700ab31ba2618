using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using MediaLibrary.Tests.Infrastructure;

namespace MediaLibrary.Tests.Process;

public sealed partial class ProcessTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AKillMidUpload_ToLocalStorage_LeavesNoTemporaryFile_OnceItsEntryFallsDue(bool postgres)
    {
        var env = await CrashEnvAsync(postgres);
        var files = Path.Combine(_workDir, "data", "files");
        await KillMidUploadAsync(env, fillerBytes: 3 << 20, () => Directory.Exists(Path.Combine(files, ".tmp")) && Directory.EnumerateFiles(Path.Combine(files, ".tmp")).Any());

        await using var again = await StartAsync(env);
        await EventuallyAsync(() => Task.FromResult(!Directory.EnumerateFiles(files, "*", SearchOption.AllDirectories).Any()),
            "the temporary file (and any object) of the killed upload is still there");
        await AssertNoDeletionWaitsAsync(again);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AKillMidMultipartUpload_Of200MB_ToS3_LeavesNoParts_OnceItsEntryFallsDue(bool postgres)
    {
        var s3 = await S3Server.GetAsync();
        var bucket = await s3.CreateBucketAsync();
        var env = WithS3(await CrashEnvAsync(postgres), s3, bucket);
        // A 200 MB upload: two parts sent, the third on its way when the process dies.
        await KillMidUploadAsync(env, fillerBytes: 200 << 20, () => s3.UnfinishedParts(bucket) >= 2);
        Assert.Equal(1, s3.UnfinishedUploads(bucket)); // what a kill leaves: parts no listing of objects shows

        await using var again = await StartAsync(env);
        await EventuallyAsync(() => Task.FromResult(s3.UnfinishedUploads(bucket) == 0), () => "the killed upload's parts are still in the bucket. The service said:\n" + again.Output);
        using var client = new AmazonS3Client(new BasicAWSCredentials(S3Server.AccessKey, S3Server.SecretKey),
            new AmazonS3Config { ServiceURL = s3.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        var objects = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct);
        Assert.DoesNotContain(objects.S3Objects ?? [], o => !o.Key.StartsWith("_check/", StringComparison.Ordinal));
        await AssertNoDeletionWaitsAsync(again);
    }

    /// <summary>A short grace period and a busy worker; the database a PostgreSQL one of its own when asked.</summary>
    private async Task<Dictionary<string, string?>> CrashEnvAsync(bool postgres)
    {
        var env = new Dictionary<string, string?>
        {
            ["MEDIALIB_DATA_DIR"] = Path.Combine(_workDir, "data"), ["MEDIALIB_ADMIN_PASSWORD"] = "admin-password",
            ["MEDIALIB_UPLOAD_GRACE_SECONDS"] = "3", ["MEDIALIB_CLEANUP_INTERVAL_SECONDS"] = "1",
        };
        if (postgres) env["MEDIALIB_DATABASE"] = await (await PostgresServer.GetAsync()).CreateDatabaseAsync();
        return env;
    }

    /// <summary>The test server's bucket as the storage, in parts of 5 MB.</summary>
    private static Dictionary<string, string?> WithS3(Dictionary<string, string?> env, S3Server s3, string bucket)
    {
        env["MEDIALIB_STORAGE"] = "s3";
        env["MEDIALIB_S3_ENDPOINT"] = s3.Endpoint;
        env["MEDIALIB_S3_BUCKET"] = bucket;
        env["MEDIALIB_S3_ACCESS_KEY"] = S3Server.AccessKey;
        env["MEDIALIB_S3_SECRET_KEY"] = S3Server.SecretKey;
        env["MEDIALIB_S3_FORCE_PATH_STYLE"] = "true";
        env["MEDIALIB_S3_PART_SIZE_MB"] = "5";
        return env;
    }

    private async Task<ServiceProcess> StartAsync(Dictionary<string, string?> env)
    {
        var port = Ports.Free();
        var service = ServiceProcess.Start(_workDir, env, "--urls", $"http://127.0.0.1:{port}");
        await service.WaitForLineAsync("Now listening on:");
        service.Url = $"http://127.0.0.1:{port}";
        return service;
    }

    /// <summary>Starts an upload that sends a PNG's head and <paramref name="fillerBytes"/> more, then stalls; kills the service once <paramref name="begun"/>.</summary>
    private async Task KillMidUploadAsync(Dictionary<string, string?> env, int fillerBytes, Func<bool> begun)
    {
        var service = await StartAsync(env);
        using var http = new HttpClient { BaseAddress = new Uri(service.Url!) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(http, "admin", "admin-password"));
        using var stall = new CancellationTokenSource();
        var form = new MultipartFormDataContent { { new StreamContent(new StallingStream(TestFiles.Png(4, 4), fillerBytes, stall.Token)), "file", "big.png" } };
        var upload = http.PostAsync("/api/media", form, stall.Token);
        await EventuallyAsync(() => Task.FromResult(begun()), "the upload never got under way");
        await service.DisposeAsync(); // SIGKILL
        await stall.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => upload);
    }

    private static Task EventuallyAsync(Func<Task<bool>> condition, string what) => EventuallyAsync(condition, () => what);

    private static async Task EventuallyAsync(Func<Task<bool>> condition, Func<string> what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30)) Assert.Fail(what());
            await Task.Delay(200, Ct);
        }
    }

    private static async Task AssertNoDeletionWaitsAsync(ServiceProcess service)
    {
        using var http = new HttpClient { BaseAddress = new Uri(service.Url!) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(http, "admin", "admin-password"));
        var backlog = "";
        await EventuallyAsync(async () =>
        {
            backlog = await http.GetStringAsync("/api/admin/deletions", Ct);
            var counts = JsonDocument.Parse(backlog).RootElement;
            return counts.GetProperty("pending_count").GetInt32() == 0 && counts.GetProperty("dead_count").GetInt32() == 0;
        }, () => "entries are still waiting: " + backlog);
    }

    /// <summary>A request body that sends its head and some filler, then waits (as a slow client would) until cancelled.</summary>
    private sealed class StallingStream(byte[] head, int filler, CancellationToken stall) : Stream
    {
        private long _position;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            var total = head.Length + filler;
            if (_position >= total)
            {
                await Task.Delay(Timeout.Infinite, CancellationTokenSource.CreateLinkedTokenSource(ct, stall).Token);
                return 0;
            }
            var count = (int)Math.Min(buffer.Length, total - _position);
            for (var i = 0; i < count; i++, _position++) buffer.Span[i] = _position < head.Length ? head[_position] : (byte)(_position * 31);
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
