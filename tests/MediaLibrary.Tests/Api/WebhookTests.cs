using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MediaLibrary.Auth;
using MediaLibrary.Tests.Infrastructure;
using MediaLibrary.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StandardWebhooks;

namespace MediaLibrary.Tests.Api;

/// <summary>
/// Webhooks end to end against a receiver on loopback (allowed by MEDIALIB_WEBHOOK_ALLOWED_NETWORKS): every change
/// queued in its transaction, POSTed signed per Standard Webhooks (checked with the reference verifier), in order per
/// media, retried on failure until dead, listed with their attempts, redelivered on request. SQLite and PostgreSQL.
/// </summary>
public abstract class WebhookTests(WebhookTests.App app)
{
    /// <summary>Answers each path with the status set for it (200 unless told), and remembers every request.</summary>
    public sealed class Receiver : IAsyncDisposable
    {
        public sealed record Received(string Path, string Id, string Timestamp, string Signature, string Body, DateTime At, int Answer);

        private readonly WebApplication _app;
        public ConcurrentQueue<Received> Requests { get; } = new();
        public ConcurrentDictionary<string, int> Status { get; } = new();

        /// <summary>Paths that answer only after this long (longer than the service waits).</summary>
        public ConcurrentDictionary<string, TimeSpan> Hang { get; } = new();

        /// <summary>Paths that answer every other request (the 1st, 3rd, …) with 500.</summary>
        public ConcurrentDictionary<string, bool> Flaky { get; } = new();

        private readonly ConcurrentDictionary<string, int> _counts = new();

        private Receiver(WebApplication app) => _app = app;

        public string BaseUrl => StubServer.BaseUrlOf(_app);

        public static async Task<Receiver> StartAsync()
        {
            Receiver receiver = null!;
            var app = await StubServer.StartAsync(async context =>
            {
                using var reader = new StreamReader(context.Request.Body);
                var body = await reader.ReadToEndAsync();
                var h = context.Request.Headers;
                var path = context.Request.Path.Value!;
                var nth = receiver._counts.AddOrUpdate(path, 1, (_, n) => n + 1);
                var answer = receiver.Flaky.ContainsKey(path) && nth % 2 == 1 ? 500 : receiver.Status.GetValueOrDefault(path, 200);
                receiver.Requests.Enqueue(new Received(path, h["webhook-id"].ToString(), h["webhook-timestamp"].ToString(),
                    h["webhook-signature"].ToString(), body, DateTime.UtcNow, answer));
                if (receiver.Hang.TryGetValue(path, out var hang)) await Task.Delay(hang, context.RequestAborted).ContinueWith(_ => { });
                context.Response.StatusCode = answer;
                await context.Response.WriteAsync(context.Response.StatusCode == 200 ? "thanks" : "receiver is down for maintenance");
            });
            return receiver = new Receiver(app);
        }

        public List<Received> At(string path) => Requests.Where(r => r.Path == path).ToList();

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }

    public class App : MediaLibraryApp
    {
        public Receiver Receiver { get; private set; } = null!;

        public App()
        {
            Set("MEDIALIB_WEBHOOK_ALLOWED_NETWORKS", "127.0.0.0/8, ::1/128");
            Set("MEDIALIB_WEBHOOK_POLL_MILLISECONDS", "100");
            Set("MEDIALIB_WEBHOOK_TIMEOUT_SECONDS", "3");
            Set("MEDIALIB_CLEANUP_BASE_DELAY_SECONDS", "0.2");
            Set("MEDIALIB_CLEANUP_MAX_ATTEMPTS", "4");
        }

        public override async ValueTask InitializeAsync()
        {
            Receiver = await Receiver.StartAsync();
            await base.InitializeAsync();
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Receiver.DisposeAsync();
        }
    }

    public sealed class PostgresApp : App
    {
        public override bool UsePostgres => true;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(WebhookEndpoints.WebhookWithSecretResponse Endpoint, string Path)> RegisterAsync(string[] events)
    {
        var path = "/hooks/" + Guid.NewGuid().ToString("n")[..10];
        var admin = await app.ClientAsync(Roles.Admin);
        using var response = await admin.PostAsJsonAsync("/api/admin/webhooks",
            new { url = app.Receiver.BaseUrl + path, events, description = "Next.js revalidation" }, Ct);
        await response.ShouldBe(HttpStatusCode.Created);
        return (await response.ReadAsync<WebhookEndpoints.WebhookWithSecretResponse>(), path);
    }

    private async Task<List<Receiver.Received>> WaitForAsync(string path, int count, Func<Receiver.Received, bool>? where = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var got = app.Receiver.At(path).Where(where ?? (_ => true)).ToList();
            if (got.Count >= count || DateTime.UtcNow > deadline) return got;
            await Task.Delay(50, Ct);
        }
    }

    private async Task<List<WebhookEndpoints.WebhookDeliveryResponse>> DeliveriesAsync(long endpointId, string query = "")
    {
        var admin = await app.ClientAsync(Roles.Admin);
        var page = await admin.GetFromJsonAsync<WebhookEndpoints.WebhookDeliveryListResponse>(
            $"/api/admin/webhooks/{endpointId}/deliveries{query}", HttpExtensions.Json, Ct);
        return [.. page!.Results];
    }

    /// <summary>
    /// The endpoint's deliveries (filtered by <paramref name="query"/>) once they are what <paramref name="until"/> waits
    /// for, or as they are after <paramref name="seconds"/>: the receiver sees a request a moment before its outcome is
    /// recorded (with the others of its batch).
    /// </summary>
    private async Task<List<WebhookEndpoints.WebhookDeliveryResponse>> DeliveriesWhenAsync(
        long endpointId, string query, Func<List<WebhookEndpoints.WebhookDeliveryResponse>, bool> until, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        List<WebhookEndpoints.WebhookDeliveryResponse> got;
        while (!until(got = await DeliveriesAsync(endpointId, query)) && DateTime.UtcNow < deadline) await Task.Delay(50, Ct);
        return got;
    }

    /// <summary>The endpoint's deliveries once none is pending.</summary>
    private async Task<List<WebhookEndpoints.WebhookDeliveryResponse>> SettledDeliveriesAsync(long endpointId)
    {
        await DeliveriesWhenAsync(endpointId, "?status=pending", d => d.Count == 0);
        return await DeliveriesAsync(endpointId);
    }

    private static void Verify(string secret, Receiver.Received request)
    {
        var headers = new HeaderDictionary
        {
            ["webhook-id"] = request.Id, ["webhook-timestamp"] = request.Timestamp, ["webhook-signature"] = request.Signature,
        };
        new StandardWebhook(secret).Verify(request.Body, headers); // throws unless the signature and the timestamp hold
    }

    private static JsonElement Data(Receiver.Received request) => JsonDocument.Parse(request.Body).RootElement.GetProperty("data");

    private static string TypeOf(Receiver.Received request) => JsonDocument.Parse(request.Body).RootElement.GetProperty("type").GetString()!;

    [Fact]
    public async Task EveryChange_IsPostedSigned_InOrder_WithTheMediaAndTheUrlsItRetired()
    {
        var (endpoint, path) = await RegisterAsync(["*"]);
        Assert.StartsWith("whsec_", endpoint.Secret);
        var editor = await app.ClientAsync();
        var media = await editor.UploadAsync(TestFiles.Png(4, 3), "harbour.png", "Harbour");
        using (var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/media/{media.Id}") { Content = JsonContent.Create(new { title = "Harbour at dusk" }) })
        using (var patched = await editor.SendAsync(patch, Ct)) await patched.ShouldBe(HttpStatusCode.OK);
        using (var replaced = await editor.PutAsync($"/api/media/{media.Id}/file", TestFiles.Form(TestFiles.Png(6, 3), "harbour-wide.png"), Ct))
            await replaced.ShouldBe(HttpStatusCode.OK);
        using (var deleted = await editor.DeleteAsync($"/api/media/{media.Id}", Ct)) await deleted.ShouldBe(HttpStatusCode.NoContent);

        var got = await WaitForAsync(path, 4, r => Data(r).GetProperty("media_id").GetInt64() == media.Id);
        // The test app keeps no trash (MEDIALIB_TRASH_DAYS=0): the delete is a deletion.
        Assert.Equal(["media.created", "media.updated", "media.file_replaced", "media.deleted"], got.Select(TypeOf));
        foreach (var request in got) Verify(endpoint.Secret, request);
        Assert.Equal(4, got.Select(r => r.Id).Distinct().Count());
        Assert.All(got, r => Assert.Matches("^msg_[a-z2-7]{26}$", r.Id));

        var updated = Data(got[1]);
        Assert.Equal("Harbour", updated.GetProperty("change").GetProperty("title").GetProperty("before").GetString());
        Assert.Equal("Harbour at dusk", updated.GetProperty("change").GetProperty("title").GetProperty("after").GetString());
        Assert.Equal("editor-user", updated.GetProperty("actor").GetString());
        var replacedData = Data(got[2]);
        var retired = Assert.Single(replacedData.GetProperty("retired").EnumerateArray());
        Assert.Equal(1, retired.GetProperty("version").GetInt32());
        Assert.Equal(media.Url, retired.GetProperty("url").GetString());
        Assert.Equal($"http://localhost/files/{media.Id}/v1/", retired.GetProperty("prefix").GetString());
        Assert.Equal(JsonValueKind.Object, replacedData.GetProperty("media").ValueKind);
        var gone = Data(got[3]);
        Assert.Equal(2, Assert.Single(gone.GetProperty("retired").EnumerateArray()).GetProperty("version").GetInt32());
        Assert.Equal("harbour-wide.png", gone.GetProperty("change").GetProperty("file_name").GetString());

        var deliveries = await SettledDeliveriesAsync(endpoint.Id);
        var mine = deliveries.Where(d => d.MediaId == media.Id).OrderBy(d => d.Id).ToList();
        Assert.Equal(got.Select(r => r.Id), mine.Select(d => d.EventId));
        Assert.All(mine, d => Assert.Equal(("delivered", 1, 200, "thanks"), (d.Status, d.Attempts, d.LastStatusCode, d.LastResponse)));
        Assert.Contains(app.Logs.GetSnapshot(), l => l.Message.Contains($"Webhook {got[0].Id} (media.created, media {media.Id}) to endpoint {endpoint.Id} at 127.0.0.1, attempt 1: status 200, result=delivered"));
        // The queue's own lines for these entries say "Delivering", never "Deleting".
        var keys = got.Select(r => WebhookSender.KeyOf(endpoint.Id, r.Id)).ToHashSet();
        var queueLines = app.Logs.GetSnapshot().Where(l => l.StructuredState?.Any(f => f.Key == "StorageKey" && keys.Contains(f.Value!)) == true).ToList();
        Assert.Equal(got.Count, queueLines.Count(l => l.Message.StartsWith("Delivering ", StringComparison.Ordinal) && l.Message.Contains("result=ok")));
        Assert.DoesNotContain(queueLines, l => l.Message.Contains("Deleting"));
    }

    [Fact]
    public async Task AFailingReceiver_IsRetriedUntilDead_KeepingTheMediasOrder_AndARedeliverySendsTheSameMessage()
    {
        var (endpoint, path) = await RegisterAsync(["media.created", "media.updated"]);
        app.Receiver.Status[path] = 503;
        var editor = await app.ClientAsync();
        var media = await editor.UploadAsync(TestFiles.Png(2, 2), "down.png");
        using (var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/media/{media.Id}") { Content = JsonContent.Create(new { alt_text = "A pier" }) })
        using (var patched = await editor.SendAsync(patch, Ct)) await patched.ShouldBe(HttpStatusCode.OK);

        // Four attempts each (MEDIALIB_CLEANUP_MAX_ATTEMPTS), the update's only after the creation's last: in order per media.
        var got = await WaitForAsync(path, 8);
        Assert.Equal(8, got.Count);
        Assert.Equal([.. Enumerable.Repeat("media.created", 4), .. Enumerable.Repeat("media.updated", 4)], got.Select(TypeOf));
        Assert.Single(got.Take(4).Select(r => r.Id).Distinct());
        Assert.Single(got.Take(4).Select(r => r.Body).Distinct()); // the same bytes on every attempt
        // Backoff between attempts: 0.2 s doubling, ±20 %.
        Assert.True(got[3].At - got[0].At >= TimeSpan.FromSeconds(0.9), $"three retries in {(got[3].At - got[0].At).TotalSeconds:0.00} s");

        var dead = await DeliveriesWhenAsync(endpoint.Id, "?status=dead", d => d.Count >= 2);
        Assert.Equal(2, dead.Count);
        Assert.All(dead, d => Assert.Equal((4, 503, "receiver is down for maintenance", "The endpoint answered 503."),
            (d.Attempts, d.LastStatusCode, d.LastResponse, d.LastError)));
        Assert.Empty(await DeliveriesAsync(endpoint.Id, "?status=delivered"));

        app.Receiver.Status[path] = 200;
        var admin = await app.ClientAsync(Roles.Admin);
        var first = dead.Single(d => d.EventType == "media.created");
        using (var redeliver = await admin.PostAsync($"/api/admin/webhooks/{endpoint.Id}/deliveries/{first.Id}/redeliver", null, Ct))
        {
            await redeliver.ShouldBe(HttpStatusCode.Accepted);
            Assert.Equal("pending", (await redeliver.ReadAsync<WebhookEndpoints.WebhookDeliveryResponse>()).Status);
        }
        var again = (await WaitForAsync(path, 9))[8];
        Assert.Equal(got[0].Id, again.Id);
        Assert.Equal(got[0].Body, again.Body);
        Verify(endpoint.Secret, again);
        var delivered = Assert.Single(await DeliveriesWhenAsync(endpoint.Id, "?status=delivered", d => d.Count > 0));
        Assert.Equal((first.Id, 1, 200), (delivered.Id, delivered.Attempts, delivered.LastStatusCode));
    }

    [Fact]
    public async Task ABulkTag_SendsAnEventPerMedia_EachWithItsTagsAsTheChangeLeftThem()
    {
        var (endpoint, path) = await RegisterAsync(["media.updated"]);
        var editor = await app.ClientAsync();
        var items = new List<long>();
        for (var i = 0; i < 3; i++) items.Add((await editor.UploadAsync(TestFiles.Png(2, 2, (byte)(10 * i)), $"b{i}.png")).Id);
        using (var bulk = await editor.PostAsJsonAsync("/api/media/bulk", new { action = "tag", ids = items, tags = new[] { "Harbour", "Summer" } }, HttpExtensions.Json, Ct))
            await bulk.ShouldBe(HttpStatusCode.OK);

        var got = await WaitForAsync(path, 3, r => items.Contains(Data(r).GetProperty("media_id").GetInt64()));
        Assert.Equal(items.Order(), got.Select(r => Data(r).GetProperty("media_id").GetInt64()).Order());
        foreach (var request in got)
        {
            Verify(endpoint.Secret, request);
            Assert.Equal(["Harbour", "Summer"], Data(request).GetProperty("media").GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
            Assert.Equal(["Harbour", "Summer"], Data(request).GetProperty("change").GetProperty("tags_added").EnumerateArray().Select(t => t.GetString()));
        }
    }

    [Fact]
    public async Task AnEndpointThatHangs_HoldsUpOnlyItself_AndItsAttemptTimesOut()
    {
        var (slow, slowPath) = await RegisterAsync(["media.created"]);
        var (_, fastPath) = await RegisterAsync(["media.created"]);
        app.Receiver.Hang[slowPath] = TimeSpan.FromSeconds(30);
        var editor = await app.ClientAsync();
        var first = await editor.UploadAsync(TestFiles.Png(2, 2), "one.png");
        var second = await editor.UploadAsync(TestFiles.Png(2, 3), "two.png");

        // Both reach the other endpoint while the first attempt at the hanging one is still waiting for an answer.
        var fast = await WaitForAsync(fastPath, 2, r => Data(r).GetProperty("media_id").GetInt64() is var id && (id == first.Id || id == second.Id));
        Assert.Equal(2, fast.Count);
        // The hanging endpoint's first request may reach the receiver a moment after the other's (its own lane): waited for.
        var slowFirst = Assert.Single((await WaitForAsync(slowPath, 1, r => Data(r).GetProperty("media_id").GetInt64() == first.Id)).Take(1));
        Assert.True(fast[1].At < slowFirst.At.AddSeconds(3), "the other endpoint waited for the hanging one's time-out");

        var tried = (await DeliveriesWhenAsync(slow.Id, "", all => all.Any(d => d.MediaId == first.Id && d.Attempts > 0), seconds: 20))
            .Where(d => d.MediaId == first.Id && d.Attempts > 0);
        Assert.Equal("no answer within 3 s", Assert.Single(tried).LastError);
        app.Receiver.Hang.TryRemove(slowPath, out _);
    }

    [Fact]
    public async Task DisablingAnEndpoint_EndsItsWaitingDeliveriesDead_AndTheyGoOutWhenRedeliveredAfterReEnabling()
    {
        var (endpoint, path) = await RegisterAsync(["media.created", "media.updated"]);
        app.Receiver.Status[path] = 503;
        var editor = await app.ClientAsync();
        var media = await editor.UploadAsync(TestFiles.Png(2, 2), "paused.png");
        using (var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/media/{media.Id}") { Content = JsonContent.Create(new { title = "Paused" }) })
        using (var patched = await editor.SendAsync(patch, Ct)) await patched.ShouldBe(HttpStatusCode.OK);
        Assert.Single(await WaitForAsync(path, 1)); // the creation's first attempt failed; the update waits behind it

        var admin = await app.ClientAsync(Roles.Admin);
        using (var disable = await admin.PatchAsJsonAsync($"/api/admin/webhooks/{endpoint.Id}", new { active = false }, Ct))
            await disable.ShouldBe(HttpStatusCode.OK);
        var dead = await DeliveriesWhenAsync(endpoint.Id, "?status=dead", d => d.Count >= 2, seconds: 20);
        Assert.Equal(2, dead.Count);
        Assert.All(dead, d => Assert.Equal("The endpoint is disabled.", d.LastError));
        Assert.Empty(await DeliveriesAsync(endpoint.Id, "?status=pending"));
        var sent = app.Receiver.At(path).Count;
        Assert.InRange(sent, 1, 2); // at most one more attempt of the creation before the disabling was seen; never the update
        Assert.All(app.Receiver.At(path), r => Assert.Equal("media.created", TypeOf(r)));
        var queued = await app.WithDbAsync(db => db.PendingDeletions.AsNoTracking()
            .CountAsync(p => p.Provider == WebhookSender.Kind && p.StorageKey.StartsWith(endpoint.Id + "/") && p.Status == Cleanup.PendingDeletionStatus.Pending, Ct));
        Assert.Equal(0, queued);

        app.Receiver.Status[path] = 200;
        using (var enable = await admin.PatchAsJsonAsync($"/api/admin/webhooks/{endpoint.Id}", new { active = true }, Ct))
            await enable.ShouldBe(HttpStatusCode.OK);
        foreach (var d in dead.OrderBy(d => d.Id))
            using (var redeliver = await admin.PostAsync($"/api/admin/webhooks/{endpoint.Id}/deliveries/{d.Id}/redeliver", null, Ct))
                await redeliver.ShouldBe(HttpStatusCode.Accepted);
        var got = (await WaitForAsync(path, sent + 2))[sent..];
        Assert.Equal(["media.created", "media.updated"], got.Select(TypeOf));
        Assert.All(got, r => Assert.Equal(200, r.Answer));
    }

    [Fact]
    public async Task PassesClaimingTheSameDueDeliveriesAtOnce_EachCarryOutTheirOwn_NoneTwice()
    {
        // Deliveries of an endpoint that does not exist: each attempt finds nothing to send and removes its entry. Three
        // passes and the service's own dispatcher race for the same 60 due entries.
        var run = "msg_race" + Guid.NewGuid().ToString("n")[..8];
        var keys = Enumerable.Range(0, 60).Select(i => WebhookSender.KeyOf(999_999, $"{run}_{i}")).ToList();
        await app.WithDbAsync(async db =>
        {
            var now = DateTime.UtcNow;
            foreach (var key in keys)
                db.PendingDeletions.Add(new Cleanup.PendingDeletion { StorageKey = key, Provider = WebhookSender.Kind, Reason = "media.updated", CreatedAt = now, NextAttemptAt = now });
            return await db.SaveChangesAsync(Ct);
        });
        async Task<int> PassAsync()
        {
            await using var scope = app.Services.CreateAsyncScope();
            var queue = scope.ServiceProvider.GetRequiredService<Cleanup.CleanupQueue>();
            var due = (await queue.DueAsync(200, WebhookSender.Kind, null, null, Ct)).Where(e => e.StorageKey.Contains(run)).ToList();
            return await queue.TryAttemptAsync(due, Ct);
        }
        var claimed = await Task.WhenAll(PassAsync(), PassAsync(), PassAsync());

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await app.WithDbAsync(db => db.PendingDeletions.CountAsync(p => p.StorageKey.Contains(run), Ct)) > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(50, Ct);
        Assert.Equal(0, await app.WithDbAsync(db => db.PendingDeletions.CountAsync(p => p.StorageKey.Contains(run), Ct)));
        Assert.InRange(claimed.Sum(), 1, 60);
        var carriedOut = app.Logs.GetSnapshot().Where(l => l.Message.Contains(run) && l.Message.Contains("nothing to send"))
            .Select(l => l.Message.Split(' ')[1]).ToList();
        Assert.Equal(keys.Select(k => k.Split('/')[1]).Order(), carriedOut.Order()); // every one exactly once
    }

    [Fact]
    public async Task FolderChanges_ToAFailingReceiver_AreRetriedInTheOrderTheyWereMade()
    {
        var (_, path) = await RegisterAsync(["folder.created", "folder.renamed"]);
        app.Receiver.Status[path] = 503;
        var editor = await app.ClientAsync();
        var run = Guid.NewGuid().ToString("n")[..6];
        async Task<long> CreateAsync(string name)
        {
            using var created = await editor.PostAsJsonAsync("/api/folders", new { name }, Ct);
            await created.ShouldBe(HttpStatusCode.Created);
            return (await created.ReadAsync<MediaLibrary.Api.FolderResponse>()).Id;
        }
        var posters = await CreateAsync("Posters " + run);
        var flyers = await CreateAsync("Flyers " + run);
        using (var renamed = await editor.PatchAsJsonAsync($"/api/folders/{posters}", new { name = "Old posters " + run }, Ct))
            await renamed.ShouldBe(HttpStatusCode.OK);

        // Four attempts each (MEDIALIB_CLEANUP_MAX_ATTEMPTS), each event's only after the last of the one before it, whichever
        // folder it is about: a receiver never learns of a rename before the folder's creation.
        var got = await WaitForAsync(path, 12);
        Assert.Equal(12, got.Count);
        Assert.Equal([.. Enumerable.Repeat(("folder.created", posters), 4), .. Enumerable.Repeat(("folder.created", flyers), 4),
            .. Enumerable.Repeat(("folder.renamed", posters), 4)], got.Select(r => (TypeOf(r), Data(r).GetProperty("folder_id").GetInt64())));
    }

    [Fact]
    public async Task FolderChanges_AreEvents_TellingTheFolderAsTheChangeLeftIt_AndWhatChanged()
    {
        var (endpoint, path) = await RegisterAsync(["folder.created", "folder.renamed", "folder.moved", "folder.deleted"]);
        var editor = await app.ClientAsync();
        var run = Guid.NewGuid().ToString("n")[..6];
        async Task<MediaLibrary.Api.FolderResponse> CreateAsync(string name, long? parent = null)
        {
            using var created = await editor.PostAsJsonAsync("/api/folders", new { name, parent_id = parent }, Ct);
            await created.ShouldBe(HttpStatusCode.Created);
            return await created.ReadAsync<MediaLibrary.Api.FolderResponse>();
        }
        var brochures = await CreateAsync("Brochures " + run);
        var archive = await CreateAsync("Archive " + run);
        using (var renamed = await editor.PatchAsJsonAsync($"/api/folders/{brochures.Id}", new { name = "Old brochures " + run }, Ct))
            await renamed.ShouldBe(HttpStatusCode.OK);
        using (var moved = await editor.PostAsJsonAsync($"/api/folders/{brochures.Id}/move", new { parent_id = archive.Id }, Ct))
            await moved.ShouldBe(HttpStatusCode.OK);
        using (var deleted = await editor.DeleteAsync($"/api/folders/{archive.Id}?contents=true", Ct)) await deleted.ShouldBe(HttpStatusCode.NoContent);

        var got = await WaitForAsync(path, 5);
        Assert.Equal(["folder.created", "folder.created", "folder.renamed", "folder.moved", "folder.deleted"], got.Select(TypeOf));
        Assert.All(got, r => Verify(endpoint.Secret, r));
        Assert.Equal("Brochures " + run, Data(got[0]).GetProperty("folder").GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, Data(got[0]).GetProperty("folder").GetProperty("parent_id").ValueKind);
        var rename = Data(got[2]);
        Assert.Equal(brochures.Id, rename.GetProperty("folder_id").GetInt64());
        Assert.Equal(("Brochures " + run, "Old brochures " + run),
            (rename.GetProperty("change").GetProperty("name").GetProperty("before").GetString(), rename.GetProperty("change").GetProperty("name").GetProperty("after").GetString()));
        var move = Data(got[3]);
        Assert.Equal(archive.Id, move.GetProperty("folder").GetProperty("parent_id").GetInt64());
        Assert.Equal(archive.Id, move.GetProperty("change").GetProperty("parent_id").GetProperty("after").GetInt64());
        var gone = Data(got[4]);
        Assert.Equal((archive.Id, JsonValueKind.Null, 2), (gone.GetProperty("folder_id").GetInt64(), gone.GetProperty("folder").ValueKind,
            gone.GetProperty("change").GetProperty("folders_deleted").GetInt32()));
        Assert.Equal("editor-user", gone.GetProperty("actor").GetString());
        Assert.All(await SettledDeliveriesAsync(endpoint.Id), d => Assert.Equal(("delivered", (long?)null), (d.Status, d.MediaId)));
    }

    [Fact]
    public async Task ARotatedSecret_SignsBesideThePreviousOneForTheOverlap_SoAReceiverWithEitherAccepts_AndWithoutOverlapOnlyTheNewOne()
    {
        var (endpoint, path) = await RegisterAsync(["media.updated"]);
        var admin = await app.ClientAsync(Roles.Admin);
        var editor = await app.ClientAsync();
        var media = await editor.UploadAsync(TestFiles.Png(2, 2), "rotated.png");
        async Task<Receiver.Received> EditAsync(string title, int count)
        {
            using (var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/media/{media.Id}") { Content = JsonContent.Create(new { title }) })
            using (var patched = await editor.SendAsync(patch, Ct)) await patched.ShouldBe(HttpStatusCode.OK);
            return Assert.Single((await WaitForAsync(path, count)).Skip(count - 1));
        }

        using var bad = await admin.PostAsync($"/api/admin/webhooks/{endpoint.Id}/secret?keep_previous_hours=200", null, Ct);
        Assert.Contains("keep_previous_hours", (await bad.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").ToString());

        WebhookEndpoints.WebhookWithSecretResponse rotated;
        using (var response = await admin.PostAsync($"/api/admin/webhooks/{endpoint.Id}/secret", null, Ct))
        {
            await response.ShouldBe(HttpStatusCode.OK);
            rotated = await response.ReadAsync<WebhookEndpoints.WebhookWithSecretResponse>();
        }
        Assert.InRange(rotated.PreviousSecretUntil!.Value, DateTime.UtcNow.AddHours(23.9), DateTime.UtcNow.AddHours(24.1));
        var both = await EditAsync("Overlap", 1);
        Assert.Equal(2, both.Signature.Split(' ').Length);
        // The .NET reference verifier (StandardWebhooks 1.1.2) looks at the first signature only, so the new secret's goes
        // first; the npm verifier, which the client suite runs, accepts the whole header with either secret. Here each
        // signature is also checked on its own.
        var (newer, older) = (both with { Signature = both.Signature.Split(' ')[0] }, both with { Signature = both.Signature.Split(' ')[1] });
        Verify(rotated.Secret, both);
        Verify(rotated.Secret, newer); // a receiver already switched
        Verify(endpoint.Secret, older); // and one not yet switched

        using (var response = await admin.PostAsync($"/api/admin/webhooks/{endpoint.Id}/secret?keep_previous_hours=0", null, Ct))
        {
            var again = await response.ReadAsync<WebhookEndpoints.WebhookWithSecretResponse>();
            Assert.Null(again.PreviousSecretUntil);
            var only = await EditAsync("No overlap", 2);
            Assert.Single(only.Signature.Split(' '));
            Verify(again.Secret, only);
            Assert.ThrowsAny<Exception>(() => Verify(rotated.Secret, only));
        }
        Assert.DoesNotContain(app.Logs.GetSnapshot(), l => l.Message.Contains(rotated.Secret[6..]));
    }

    [Fact]
    public async Task ATestEvent_GoesToThatEndpointAlone_Signed_AndIsListed_ButNotToADisabledOne()
    {
        var (endpoint, path) = await RegisterAsync(["media.deleted"]);
        var (other, otherPath) = await RegisterAsync(["*"]);
        var admin = await app.ClientAsync(Roles.Admin);
        using (var editor = await app.ClientAsync())
        using (var refused = await editor.PostAsync($"/api/admin/webhooks/{endpoint.Id}/test", null, Ct))
            await refused.ShouldBe(HttpStatusCode.Forbidden);
        WebhookEndpoints.WebhookDeliveryResponse queued;
        using (var sent = await admin.PostAsync($"/api/admin/webhooks/{endpoint.Id}/test", null, Ct))
        {
            await sent.ShouldBe(HttpStatusCode.Accepted);
            queued = await sent.ReadAsync<WebhookEndpoints.WebhookDeliveryResponse>();
        }
        Assert.Equal(("webhook.test", "pending", (long?)null), (queued.EventType, queued.Status, queued.MediaId));
        var got = Assert.Single(await WaitForAsync(path, 1));
        Verify(endpoint.Secret, got);
        Assert.Equal(queued.EventId, got.Id);
        var data = Data(got);
        Assert.Equal((endpoint.Id, "test", "admin-user"), (data.GetProperty("endpoint_id").GetInt64(), data.GetProperty("action").GetString(), data.GetProperty("actor").GetString()));
        Assert.Equal("delivered", Assert.Single(await SettledDeliveriesAsync(endpoint.Id)).Status);
        Assert.Empty(app.Receiver.At(otherPath)); // not to every endpoint that takes "*"

        using (var disable = await admin.PatchAsJsonAsync($"/api/admin/webhooks/{other.Id}", new { active = false }, Ct)) await disable.ShouldBe(HttpStatusCode.OK);
        using (var disabled = await admin.PostAsync($"/api/admin/webhooks/{other.Id}/test", null, Ct))
            Assert.Contains("disabled", (await disabled.ProblemAsync(HttpStatusCode.Conflict)).GetProperty("title").GetString());
        using (var missing = await admin.PostAsync("/api/admin/webhooks/987654/test", null, Ct)) await missing.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty(await DeliveriesAsync(other.Id));
    }

    [Fact]
    public async Task AnEndpoint_GetsOnlyItsEventTypes_AndNothingWhileDisabled_OrFromAChangeThatFailed()
    {
        var (endpoint, path) = await RegisterAsync(["media.deleted"]);
        var (other, otherPath) = await RegisterAsync(["media.updated"]);
        var admin = await app.ClientAsync(Roles.Admin);
        using (var disable = await admin.PatchAsJsonAsync($"/api/admin/webhooks/{other.Id}", new { active = false }, Ct))
        {
            await disable.ShouldBe(HttpStatusCode.OK);
            Assert.False((await disable.ReadAsync<WebhookEndpoints.WebhookResponse>()).Active);
        }
        var editor = await app.ClientAsync();
        var media = await editor.UploadAsync(TestFiles.Png(2, 2), "gone.png");
        using (var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/media/{media.Id}") { Content = JsonContent.Create(new { title = "Stale" }) })
        {
            patch.Headers.TryAddWithoutValidation("If-Match", "\"999\"");
            using var stale = await editor.SendAsync(patch, Ct);
            await stale.ShouldBe(HttpStatusCode.PreconditionFailed);
        }
        using (var deleted = await editor.DeleteAsync($"/api/media/{media.Id}?permanent=true", Ct)) await deleted.ShouldBe(HttpStatusCode.NoContent);

        var got = Assert.Single(await WaitForAsync(path, 1, r => Data(r).GetProperty("media_id").GetInt64() == media.Id));
        Assert.Equal("media.deleted", TypeOf(got));
        var data = Data(got);
        Assert.Equal(JsonValueKind.Null, data.GetProperty("media").ValueKind); // gone by the time it was sent
        Assert.Equal(media.Url, Assert.Single(data.GetProperty("retired").EnumerateArray()).GetProperty("url").GetString());
        Assert.Empty(app.Receiver.At(otherPath));
        Assert.Empty(await DeliveriesAsync(other.Id));
        // Neither endpoint got a delivery for the upload, the failed edit or (disabled) anything else.
        var rows = await app.WithDbAsync(db => db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.MediaId == media.Id && (d.EndpointId == endpoint.Id || d.EndpointId == other.Id)).ToListAsync(Ct));
        Assert.Equal([(endpoint.Id, "media.deleted")], rows.Select(d => (d.EndpointId, d.EventType)));
    }

    [Fact]
    public async Task Registration_RefusesPrivateAddresses_BadInput_AndNonAdmins_AndNeverShowsTheSecretAgain()
    {
        var admin = await app.ClientAsync(Roles.Admin);
        foreach (var (url, expected) in new[]
        {
            ("http://10.1.2.3/hook", "10.1.2.3, a loopback, private or link-local address"),
            ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
            ("http://[fd00::1]/hook", "fd00::1"),
            ("ftp://example.com/hook", "absolute http or https URL"),
            ("https://user:pass@127.0.0.1/hook", "user name or password"),
            ("not a url", "absolute http or https URL"),
        })
        {
            using var response = await admin.PostAsJsonAsync("/api/admin/webhooks", new { url, events = new[] { "*" } }, Ct);
            var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
            Assert.Contains(expected, problem.GetProperty("errors").GetProperty("url")[0].GetString());
        }
        using (var response = await admin.PostAsJsonAsync("/api/admin/webhooks", new { url = app.Receiver.BaseUrl + "/x", events = new[] { "media.exploded" }, secret = "plain" }, Ct))
        {
            var errors = (await response.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
            Assert.Contains("'media.exploded'", errors.GetProperty("events")[0].GetString());
            Assert.Contains("whsec_", errors.GetProperty("secret")[0].GetString());
        }
        var editor = await app.ClientAsync();
        using (var response = await editor.PostAsJsonAsync("/api/admin/webhooks", new { url = app.Receiver.BaseUrl + "/x", events = new[] { "*" } }, Ct))
            await response.ShouldBe(HttpStatusCode.Forbidden);

        var (endpoint, _) = await RegisterAsync(["media.created"]);
        var listed = await admin.GetStringAsync("/api/admin/webhooks", Ct);
        Assert.Contains(endpoint.Url, listed);
        Assert.DoesNotContain(endpoint.Secret, listed);
        Assert.DoesNotContain(endpoint.Secret[6..], await app.WithDbAsync(db => db.WebhookEndpoints.AsNoTracking().Where(e => e.Id == endpoint.Id).Select(e => e.ProtectedSecret).SingleAsync(Ct)));
        Assert.DoesNotContain(app.Logs.GetSnapshot(), l => l.Message.Contains(endpoint.Secret[6..]));

        using (var rotated = await admin.PostAsync($"/api/admin/webhooks/{endpoint.Id}/secret", null, Ct))
        {
            await rotated.ShouldBe(HttpStatusCode.OK);
            Assert.NotEqual(endpoint.Secret, (await rotated.ReadAsync<WebhookEndpoints.WebhookWithSecretResponse>()).Secret);
        }
        using (var deleted = await admin.DeleteAsync($"/api/admin/webhooks/{endpoint.Id}", Ct)) await deleted.ShouldBe(HttpStatusCode.NoContent);
        using (var missing = await admin.GetAsync($"/api/admin/webhooks/{endpoint.Id}", Ct)) await missing.ProblemAsync(HttpStatusCode.NotFound);
    }
}

public sealed class SqliteWebhookTests(WebhookTests.App app) : WebhookTests(app), IClassFixture<WebhookTests.App>;

public sealed class PostgresWebhookTests(WebhookTests.PostgresApp app) : WebhookTests(app), IClassFixture<WebhookTests.PostgresApp>;
