using System.Text.Json;
using MediaLibrary.Tests.Api;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Npgsql;
using StandardWebhooks;

namespace MediaLibrary.Tests.Process;

public sealed partial class MultiNodeTests
{
    /// <summary>
    /// Changes made on two nodes, one of them killed and restarted half-way, with three endpoints, one of which fails
    /// every other request: each endpoint ends up with every event, verified, at least once (exactly once after
    /// de-duplication by webhook-id), and a media's events arrive in the order of its changes.
    /// </summary>
    [Fact]
    public async Task TwoNodes_OneKilledMidway_DeliverEveryWebhookToEveryEndpoint_InOrderPerMedia()
    {
        const int media = 60;
        var database = await (await PostgresServer.GetAsync()).CreateDatabaseAsync();
        await using var receiver = await WebhookTests.Receiver.StartAsync();
        Dictionary<string, string?> Env(string node) => NodeEnv(database, node, new()
        {
            ["MEDIALIB_WEBHOOK_ALLOWED_NETWORKS"] = "127.0.0.0/8",
            ["MEDIALIB_WEBHOOK_POLL_MILLISECONDS"] = "100",
            ["MEDIALIB_CLEANUP_BASE_DELAY_SECONDS"] = "0.1",
            ["MEDIALIB_CLEANUP_MAX_ATTEMPTS"] = "40",
            ["MEDIALIB_CLEANUP_LEASE_SECONDS"] = "5", // what a killed node held is taken over after this
        });
        var urlB = $"http://127.0.0.1:{Ports.Free()}";
        var nodeA = ServiceProcess.Start(_workDir, Env("a"), "--urls", $"http://127.0.0.1:{Ports.Free()}");
        try
        {
            await nodeA.WaitForLineAsync("Now listening on:");
            var urlA = nodeA.Output.Split("Now listening on: ")[1].Split('\n')[0].Trim();
            await using var nodeB = ServiceProcess.Start(_workDir, Env("b"), "--urls", urlB);
            await nodeB.WaitForLineAsync("Now listening on:");
            var a = new HttpClient { BaseAddress = new Uri(urlA) };
            using var b = new HttpClient { BaseAddress = new Uri(urlB) };
            var admin = await SignInAsync(a, "admin", "admin-password");

            var endpoints = new List<(string Path, string Secret)>();
            foreach (var name in new[] { "/steady", "/flaky", "/other" })
            {
                using var created = await SendAsync(a, HttpMethod.Post, "/api/admin/webhooks", admin, new { url = receiver.BaseUrl + name, events = new[] { "media.created", "media.updated" } });
                Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
                endpoints.Add((name, (await created.ReadAsync<MediaLibrary.Webhooks.WebhookEndpoints.WebhookWithSecretResponse>()).Secret));
            }
            receiver.Flaky["/flaky"] = true;
            await Task.Delay(500, TestContext.Current.CancellationToken); // node B's next poll sees the endpoints

            var ids = new List<long>();
            for (var i = 0; i < media; i++)
            {
                if (i == media / 2)
                {
                    // Killed while deliveries are under way: what it held is taken over when its leases run out.
                    await nodeA.DisposeAsync();
                    nodeA = ServiceProcess.Start(_workDir, Env("a"), "--urls", urlA);
                    await nodeA.WaitForLineAsync("Now listening on:");
                    a.Dispose();
                    a = new HttpClient { BaseAddress = new Uri(urlA) };
                }
                var (first, second) = i % 2 == 0 ? (a, b) : (b, a);
                using var form = TestFiles.Form(TestFiles.Png(2, 2, (byte)i), $"n{i}.png");
                using var upload = new HttpRequestMessage(HttpMethod.Post, "/api/media") { Content = form };
                upload.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", admin);
                using var uploaded = await first.SendAsync(upload, TestContext.Current.CancellationToken);
                Assert.Equal(System.Net.HttpStatusCode.Created, uploaded.StatusCode);
                var id = (await uploaded.ReadAsync<MediaLibrary.Delivery.MediaResponse>()).Id;
                ids.Add(id);
                using var edited = await SendAsync(second, HttpMethod.Patch, $"/api/media/{id}", admin, new { title = $"edited {i}" });
                Assert.Equal(System.Net.HttpStatusCode.OK, edited.StatusCode);
            }
            a.Dispose();

            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (DateTime.UtcNow < deadline && await UndeliveredAsync(database) > 0) await Task.Delay(200, TestContext.Current.CancellationToken);
            Assert.Equal(0, await UndeliveredAsync(database));

            foreach (var (path, secret) in endpoints)
            {
                var got = receiver.At(path).Where(r => r.Id.Length > 0).ToList();
                var accepted = got.Where(r => r.Answer == 200).ToList();
                if (path == "/flaky") Assert.Contains(got, r => r.Answer == 500);
                foreach (var request in got)
                    new StandardWebhook(secret).Verify(request.Body, new HeaderDictionary
                    {
                        ["webhook-id"] = request.Id, ["webhook-timestamp"] = request.Timestamp, ["webhook-signature"] = request.Signature,
                    });
                var events = accepted.DistinctBy(r => r.Id).Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
                Assert.Equal(2 * media, events.Count);
                foreach (var id in ids)
                {
                    var types = events.Where(e => e.GetProperty("data").GetProperty("media_id").GetInt64() == id).Select(e => e.GetProperty("type").GetString()).ToList();
                    Assert.Equal(["media.created", "media.updated"], types);
                }
                TestContext.Current.TestOutputHelper?.WriteLine($"{path}: {got.Count} requests, {accepted.Count} answered 200, {events.Count} distinct events");
            }
        }
        finally
        {
            await nodeA.DisposeAsync();
        }
    }

    private static async Task<long> UndeliveredAsync(string database)
    {
        await using var conn = new NpgsqlConnection(database);
        await conn.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM webhook_deliveries WHERE \"Status\" <> 1", conn);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
