using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MediaLibrary.Tests.Infrastructure;

namespace MediaLibrary.Tests.Process;

public sealed partial class ProcessTests
{
    [Fact]
    public async Task AFullDatabaseDisk_Answers503WithRetryAfter_HealthSaysWhy_AndWritesResumeOnceThereIsSpace()
    {
        // The data folder (SQLite) on a small disk of its own; the files elsewhere, so only the database's disk fills.
        var data = Path.Combine(_workDir, "data");
        await using var disk = await SmallDisk.MountAsync(data, megabytes: 16);
        var env = new Dictionary<string, string?>
        {
            ["MEDIALIB_DATA_DIR"] = data, ["MEDIALIB_STORAGE_ROOT"] = Path.Combine(_workDir, "files"), ["MEDIALIB_ADMIN_PASSWORD"] = "admin-password",
        };
        var port = Ports.Free();
        await using var service = ServiceProcess.Start(_workDir, env, "--urls", $"http://127.0.0.1:{port}");
        await service.WaitForLineAsync("Now listening on:");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(http, "admin", "admin-password"));
        await http.UploadAsync(TestFiles.Png(4, 4));

        var filler = disk.Fill();
        using (var refused = await http.PostAsync("/api/media", TestFiles.Form(TestFiles.Png(5, 5), title: "while full " + new string('x', 400)), Ct))
        {
            var problem = await refused.ProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal("The database's disk is full.", problem.GetProperty("title").GetString());
            Assert.Equal(TimeSpan.FromSeconds(30), refused.Headers.RetryAfter?.Delta);
        }
        var (status, database) = await HealthCheckAsync(http, "database");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", database.GetProperty("status").GetString());
        Assert.Contains("cannot write: its disk is full", database.GetProperty("description").GetString());
        // Reads still work, and the refused upload left no file behind.
        using (var list = await http.GetAsync("/api/media", Ct)) await list.ShouldBe(HttpStatusCode.OK);
        Assert.Single(Directory.EnumerateFiles(Path.Combine(_workDir, "files"), "original", SearchOption.AllDirectories));

        File.Delete(filler);
        await EventuallyAsync(async () =>
        {
            using var retry = await http.PostAsync("/api/media", TestFiles.Form(TestFiles.Png(6, 6)), Ct);
            return retry.StatusCode == HttpStatusCode.Created;
        }, "uploads were still refused 30 s after space was made");
        await Task.Delay(WriteProbesAfterFailure, Ct);
        Assert.NotEqual("Unhealthy", (await HealthCheckAsync(http, "database")).Check.GetProperty("status").GetString());
    }

    [Fact]
    public async Task AFullStorageDisk_Answers507WithRetryAfter_HealthSaysWhy_LeavesNoPartialFile_AndUploadsResume()
    {
        // The files on a small disk of their own; the database elsewhere, so only the storage's disk fills.
        var files = Path.Combine(_workDir, "files");
        await using var disk = await SmallDisk.MountAsync(files, megabytes: 16);
        var env = new Dictionary<string, string?>
        {
            ["MEDIALIB_DATA_DIR"] = Path.Combine(_workDir, "data"), ["MEDIALIB_STORAGE_ROOT"] = files, ["MEDIALIB_ADMIN_PASSWORD"] = "admin-password",
            ["MEDIALIB_LOW_DISK_MB"] = "1", // the 16 MiB disk is not "nearly full" until it is
        };
        await using var service = await StartAsync(env);
        using var http = new HttpClient { BaseAddress = new Uri(service.Url!) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(http, "admin", "admin-password"));
        var kept = await http.UploadAsync(TestFiles.Png(4, 4));
        Assert.Equal("Healthy", (await HealthCheckAsync(http, "storage")).Check.GetProperty("status").GetString());

        var filler = disk.Fill();
        var big = TestFiles.Png(8, 8).Concat(new byte[1 << 20]).ToArray(); // a megabyte that has nowhere to go
        using (var refused = await http.PostAsync("/api/media", TestFiles.Form(big, "big.png"), Ct))
        {
            var problem = await refused.ProblemAsync(HttpStatusCode.InsufficientStorage);
            Assert.Equal("The storage's disk is full.", problem.GetProperty("title").GetString());
            Assert.Equal(TimeSpan.FromSeconds(30), refused.Headers.RetryAfter?.Delta);
        }
        var (status, storage) = await HealthCheckAsync(http, "storage");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", storage.GetProperty("status").GetString());
        Assert.Equal("The local storage cannot write: its disk is full.", storage.GetProperty("description").GetString());
        // The refused upload left no partial file; reads and deletes (which free space) still work.
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(files, ".tmp")));
        Assert.Equal(TestFiles.Png(4, 4), await http.GetByteArrayAsync(kept.Url, Ct));
        Assert.Single(Directory.EnumerateFiles(files, "original", SearchOption.AllDirectories));

        File.Delete(filler);
        await EventuallyAsync(async () =>
        {
            using var retry = await http.PostAsync("/api/media", TestFiles.Form(big, "big.png"), Ct);
            return retry.StatusCode == HttpStatusCode.Created;
        }, "uploads were still refused 30 s after space was made");
        await Task.Delay(WriteProbesAfterFailure, Ct);
        Assert.Equal("Healthy", (await HealthCheckAsync(http, "storage")).Check.GetProperty("status").GetString());
    }

    /// <summary>/health's status code and one of its checks.</summary>
    private static async Task<(HttpStatusCode Status, JsonElement Check)> HealthCheckAsync(HttpClient http, string name)
    {
        using var health = await http.GetAsync("/health", Ct);
        var check = JsonDocument.Parse(await health.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("checks").GetProperty(name).Clone();
        return (health.StatusCode, check);
    }

    [Fact]
    public async Task APostgresOutage_Answers503WithRetryAfter_ReadsAndWritesAlike_AndTheServiceRecoversByItself()
    {
        var postgres = await PostgresServer.StartPrivateAsync();
        var env = new Dictionary<string, string?>
        {
            ["MEDIALIB_DATABASE"] = await postgres.CreateDatabaseAsync(), ["MEDIALIB_DATA_DIR"] = Path.Combine(_workDir, "data"),
            ["MEDIALIB_ADMIN_PASSWORD"] = "admin-password",
        };
        var port = Ports.Free();
        await using var service = ServiceProcess.Start(_workDir, env, "--urls", $"http://127.0.0.1:{port}");
        await service.WaitForLineAsync("Now listening on:");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(http, "admin", "admin-password"));
        var media = await http.UploadAsync(TestFiles.Png(4, 4));

        await postgres.StopAsync();
        try
        {
            foreach (var request in new Func<Task<HttpResponseMessage>>[]
                     {
                         () => http.GetAsync("/api/media", Ct),
                         () => http.GetAsync($"/api/media/{media.Id}", Ct),
                         () => http.PostAsync("/api/media", TestFiles.Form(TestFiles.Png(5, 5)), Ct),
                         () => http.DeleteAsync($"/api/media/{media.Id}", Ct),
                     })
            {
                using var response = await request();
                var problem = await response.ProblemAsync(HttpStatusCode.ServiceUnavailable);
                Assert.NotNull(response.Headers.RetryAfter);
                Assert.DoesNotContain("unexpected", problem.GetProperty("title").GetString());
            }
            using var health = await http.GetAsync("/health", Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            // The upload was refused before a byte was stored: its pending entry could not be written.
            Assert.Single(Directory.EnumerateFiles(Path.Combine(_workDir, "data", "files"), "original", SearchOption.AllDirectories));
            Assert.Empty(Directory.EnumerateFiles(Path.Combine(_workDir, "data", "files", ".tmp")));
        }
        finally
        {
            await postgres.StartAgainAsync();
        }

        await EventuallyAsync(async () =>
        {
            using var again = await http.GetAsync($"/api/media/{media.Id}", Ct);
            return again.StatusCode == HttpStatusCode.OK;
        }, "the media was not served 30 s after PostgreSQL came back");
        await http.UploadAsync(TestFiles.Png(6, 6));
        Assert.DoesNotContain("An unexpected error occurred", service.Output);
    }

    [Fact]
    public async Task APostgresOutage_UnderUploads_AnswersOnly201Or503_AndLeavesNoOrphan_WithoutReconcile()
    {
        var postgres = await PostgresServer.StartPrivateAsync();
        var env = new Dictionary<string, string?>
        {
            ["MEDIALIB_DATABASE"] = await postgres.CreateDatabaseAsync(), ["MEDIALIB_DATA_DIR"] = Path.Combine(_workDir, "data"),
            ["MEDIALIB_ADMIN_PASSWORD"] = "admin-password", ["MEDIALIB_UPLOAD_GRACE_SECONDS"] = "3", ["MEDIALIB_CLEANUP_INTERVAL_SECONDS"] = "1",
        };
        var port = Ports.Free();
        await using var service = ServiceProcess.Start(_workDir, env, "--urls", $"http://127.0.0.1:{port}");
        await service.WaitForLineAsync("Now listening on:");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(http, "admin", "admin-password"));

        // Four clients upload without pause while the database stops for five seconds and comes back.
        var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    using var response = await http.PostAsync("/api/media", TestFiles.Form(TestFiles.Png(8 + c, 8 + i % 50)), stop.Token);
                    statuses.Add(response.StatusCode);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
            }
        })).ToList();
        await Task.Delay(1500, Ct);
        await postgres.StopAsync();
        await Task.Delay(5000, Ct);
        await postgres.StartAgainAsync();
        await Task.Delay(3000, Ct);
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.Contains(HttpStatusCode.Created, statuses);
        Assert.Contains(HttpStatusCode.ServiceUnavailable, statuses);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable, $"answered {(int)s}"));

        // Once the entries have fallen due, the stored originals are exactly the committed rows': no reconcile needed.
        var files = Path.Combine(_workDir, "data", "files");
        var clock = Stopwatch.StartNew();
        int rows, stored;
        do
        {
            await Task.Delay(500, Ct);
            using var list = await http.GetAsync("/api/media?page_size=1", Ct);
            rows = JsonDocument.Parse(await list.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("count").GetInt32();
            stored = Directory.EnumerateFiles(files, "original", SearchOption.AllDirectories).Count();
        } while ((rows != stored || Directory.EnumerateFiles(Path.Combine(files, ".tmp")).Any()) && clock.Elapsed < TimeSpan.FromSeconds(30));
        Assert.Equal(rows, stored);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(files, ".tmp")));
        // Every 201 is a row. A commit that the server made as it went down may have reached no client (its answer
        // was a 503): at most one a client, the upload each had in flight at that moment.
        var created = statuses.Count(s => s == HttpStatusCode.Created);
        Assert.InRange(rows - created, 0, 4);
    }

    private static readonly TimeSpan WriteProbesAfterFailure = MediaLibrary.Hosting.WriteProbes.AfterFailure + TimeSpan.FromMilliseconds(500);
}
