using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using MediaLibrary.Delivery;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace MediaLibrary.Tests.Process;

public sealed partial class ProcessTests
{
    /// <summary>What a client was told about one media; an answer lost to a kill makes its outcome unknown.</summary>
    private sealed class KilledClientView
    {
        public required long Id;
        public required string Title;
        public required string Sha256;
        public int Version = 1;
        public bool Deleted;
        public bool Uncertain;
    }

    /// <summary>
    /// Three clients upload (small images, and PDFs of 6 to 10 MB that go to S3 in 5 MB parts), replace, edit and delete,
    /// and the service is killed (SIGKILL) again and again: half the times while a multipart upload has parts in the
    /// bucket, else at a random moment. Once its entries fall due after the last restart, with no reconcile, the bucket
    /// holds exactly the rows' objects and no unfinished upload, and every acknowledged change is there.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RandomKills_DuringUploadsToS3_LeaveNoPartsAndNoOrphans_AndLoseNoAcknowledgedChange(bool postgres)
    {
        var seed = Random.Shared.Next();
        TestContext.Current.TestOutputHelper?.WriteLine($"kill seed {seed}");
        var random = new Random(seed);
        var s3 = await S3Server.GetAsync();
        var bucket = await s3.CreateBucketAsync();
        var env = WithS3(await CrashEnvAsync(postgres), s3, bucket);
        env["MEDIALIB_CLEANUP_LEASE_SECONDS"] = "5"; // a deletion the killed process held is taken over after this

        var views = new List<KilledClientView>();
        var failedTitles = new List<string>();
        var killsMidMultipart = 0;
        var answers = 0;
        for (var round = 0; round < 6; round++)
        {
            var leftBefore = s3.UnfinishedUploadsWithParts(bucket); // by earlier kills, until their entries fall due
            bool MidMultipart() => s3.UnfinishedUploadsWithParts(bucket).Except(leftBefore).Any();
            var service = await StartAsync(env);
            using var stop = new CancellationTokenSource();
            using var signIn = new HttpClient { BaseAddress = new Uri(service.Url!) };
            var token = await TokenAsync(signIn, "admin", "admin-password");
            var clients = Enumerable.Range(0, 3).Select(c => Task.Run(() =>
                KilledClientAsync(service.Url!, token, new Random(seed + round * 10 + c), $"k{round}.{c}", views, failedTitles, () => Interlocked.Increment(ref answers), stop.Token))).ToList();
            await Task.Delay(random.Next(1000, 2500), Ct);
            if (round % 2 == 0)
                await EventuallyAsync(() => Task.FromResult(MidMultipart()), "no multipart upload got under way");
            else
                await Task.Delay(random.Next(0, 1000), Ct);
            if (MidMultipart()) killsMidMultipart++;
            await service.DisposeAsync(); // SIGKILL
            await stop.CancelAsync();
            await Task.WhenAll(clients);
        }
        Assert.True(killsMidMultipart >= 3, $"only {killsMidMultipart} kills came during a multipart upload");

        // The last start: the entries fall due and remove what the kills left. No reconcile.
        await using (var last = await StartAsync(env))
        {
            await EventuallyAsync(() => Task.FromResult(s3.UnfinishedUploads(bucket) == 0), () => "the killed uploads' parts are still in the bucket");
            await AssertNoDeletionWaitsAsync(last);
            using var http = new HttpClient { BaseAddress = new Uri(last.Url!) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(http, "admin", "admin-password"));
            foreach (var view in views.Where(v => !v.Uncertain))
            {
                using var response = await http.GetAsync($"/api/media/{view.Id}", Ct);
                if (view.Deleted)
                {
                    Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"media {view.Id} was deleted (204) but is back");
                    continue;
                }
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"media {view.Id} was acknowledged and never deleted, but answers {(int)response.StatusCode}");
                var media = await response.ReadAsync<MediaResponse>();
                Assert.Equal((view.Title, view.Sha256, view.Version), (media.Title, media.Sha256, media.Version));
            }
        }

        // The bucket holds exactly the rows' objects (and the health probe's).
        List<string> rowKeys = [];
        var titles = new HashSet<string>();
        await using (System.Data.Common.DbConnection db = postgres
            ? new NpgsqlConnection(env["MEDIALIB_DATABASE"])
            : new SqliteConnection($"Data Source={Path.Combine(_workDir, "data", "medialibrary.db")};Mode=ReadOnly;Pooling=false"))
        {
            await db.OpenAsync(Ct);
            await using var command = db.CreateCommand();
            command.CommandText = "SELECT \"StorageKey\", \"Title\" FROM media";
            await using var reader = await command.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
            {
                rowKeys.Add(reader.GetString(0));
                titles.Add(reader.GetString(1));
            }
        }
        using var client = new AmazonS3Client(new BasicAWSCredentials(S3Server.AccessKey, S3Server.SecretKey),
            new AmazonS3Config { ServiceURL = s3.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        var objects = (await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct)).S3Objects ?? [];
        Assert.Equal(rowKeys.Order(StringComparer.Ordinal), objects.Select(o => o.Key).Where(k => !k.StartsWith("_check/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(failedTitles, titles.Contains);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{answers} answers, {views.Count} media created, {killsMidMultipart} of 6 kills during a multipart upload, {rowKeys.Count} rows at the end");
    }

    /// <summary>One client's random operations on its own media until the service dies under it.</summary>
    private static async Task KilledClientAsync(string url, string token, Random random, string prefix, List<KilledClientView> views, List<string> failedTitles,
        Action answered, CancellationToken stop)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var mine = new List<KilledClientView>();
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var live = mine.Where(v => !v.Deleted && !v.Uncertain).ToList();
            var roll = random.Next(100);
            var target = live.Count > 0 ? live[random.Next(live.Count)] : null;
            var title = $"{prefix}.{n}";
            try
            {
                if (target is null || roll < 40)
                {
                    using var response = await http.PostAsync("/api/media", TestFiles.Form(KillFile(random), "f.bin", title), stop);
                    Answered(response, answered);
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        var media = await response.ReadAsync<MediaResponse>();
                        var view = new KilledClientView { Id = media.Id, Title = title, Sha256 = media.Sha256 };
                        mine.Add(view);
                        lock (views) views.Add(view);
                    }
                    else lock (failedTitles) failedTitles.Add(title);
                }
                else if (roll < 60)
                {
                    using var response = await http.PutAsync($"/api/media/{target.Id}/file", TestFiles.Form(KillFile(random), "r.bin"), stop);
                    Answered(response, answered);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        var media = await response.ReadAsync<MediaResponse>();
                        (target.Sha256, target.Version) = (media.Sha256, media.Version);
                    }
                }
                else if (roll < 80)
                {
                    using var response = await http.PatchAsJsonAsync($"/api/media/{target.Id}", new { title }, stop);
                    Answered(response, answered);
                    if (response.StatusCode == HttpStatusCode.OK) target.Title = title;
                }
                else
                {
                    using var response = await http.DeleteAsync($"/api/media/{target.Id}", stop);
                    Answered(response, answered);
                    if (response.StatusCode == HttpStatusCode.NoContent) target.Deleted = true;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
            {
                // The service died under the request: it may or may not have happened.
                if (target is not null && roll >= 40) target.Uncertain = true;
                return;
            }
        }
    }

    /// <summary>Anything but a 500: a kill is a lost connection, never an error answer; a 503 changed nothing.</summary>
    private static void Answered(HttpResponseMessage response, Action answered)
    {
        Assert.True(response.StatusCode != HttpStatusCode.InternalServerError, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered 500");
        answered();
    }

    /// <summary>A small image, or a PDF of 6 to 10 MB that S3 takes in 5 MB parts.</summary>
    private static byte[] KillFile(Random random)
    {
        if (random.Next(100) < 70) return TestFiles.Png(random.Next(1, 30), random.Next(1, 30), (byte)random.Next(256));
        var file = new byte[random.Next(6 << 20, 10 << 20)];
        random.NextBytes(file);
        TestFiles.Pdf().CopyTo(file, 0);
        return file;
    }
}
