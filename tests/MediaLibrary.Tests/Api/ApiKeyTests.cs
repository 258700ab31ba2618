using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MediaLibrary.Api;
using MediaLibrary.Auth;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Tests.Api;

/// <summary>API keys for website backends: created by admins, shown once, stored hashed, scoped, expiring, revocable, named in history and logs.</summary>
public abstract class ApiKeyTests(FakeClockApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("n")[..8];

    private async Task<ApiKeyEndpoints.NewApiKeyResponse> CreateAsync(string name, string[] scopes, DateTime? expiresAt = null)
    {
        var admin = await app.ClientAsync(Roles.Admin);
        using var response = await admin.PostAsJsonAsync("/api/admin/keys", new { name, scopes, expires_at = expiresAt }, Ct);
        await response.ShouldBe(HttpStatusCode.Created);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return await response.ReadAsync<ApiKeyEndpoints.NewApiKeyResponse>();
    }

    private HttpClient KeyClient(string key)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task<HttpStatusCode> UploadStatusAsync(HttpClient client)
    {
        using var response = await client.PostAsync("/api/media", TestFiles.Form(TestFiles.Png(4, 4), "key.png"), Ct);
        return response.StatusCode;
    }

    [Fact]
    public async Task Create_ShowsTheKeyOnce_StoresOnlyItsHash_AndListsItsPrefix()
    {
        var name = Unique("Website backend ");
        var created = await CreateAsync(name, ["read", "references"]);
        Assert.Matches("^mlk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$", created.Key);
        Assert.Equal(created.Key[..16], created.Prefix);
        Assert.Equal(["read", "references"], created.Scopes);
        Assert.Equal("admin-user", created.CreatedBy);

        var row = await app.WithDbAsync(db => db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == created.Id, Ct));
        var secret = created.Key[17..];
        Assert.DoesNotContain(secret, row.SecretHash + row.LookupId + row.Name + row.Scopes);
        Assert.Equal(ApiKeys.Hash(created.Key), row.SecretHash);

        var admin = await app.ClientAsync(Roles.Admin);
        var listed = await admin.GetStringAsync("/api/admin/keys", Ct);
        Assert.Contains(created.Prefix, listed);
        Assert.DoesNotContain(secret, listed);
        Assert.DoesNotContain("\"key\"", listed);
        var one = await admin.GetFromJsonAsync<ApiKeyEndpoints.ApiKeyResponse>($"/api/admin/keys/{created.Id}", HttpExtensions.Json, Ct);
        Assert.Equal((name, created.Prefix, (DateTime?)null), (one!.Name, one.Prefix, one.RevokedAt));
        Assert.DoesNotContain(app.Logs.GetSnapshot(), r => r.Message.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AKey_ActsWithItsScopes_AndNothingMore()
    {
        var media = await (await app.ClientAsync()).UploadAsync(TestFiles.Png(6, 6), "scoped.png");
        var read = KeyClient((await CreateAsync(Unique("read "), ["read"])).Key);
        var write = KeyClient((await CreateAsync(Unique("write "), ["write"])).Key);
        var admin = KeyClient((await CreateAsync(Unique("admin "), ["admin"])).Key);
        var references = KeyClient((await CreateAsync(Unique("refs "), ["references"])).Key);

        using (var list = await read.GetAsync("/api/media", Ct)) await list.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Forbidden, await UploadStatusAsync(read));
        Assert.Equal(HttpStatusCode.Forbidden, await UploadStatusAsync(references));
        Assert.Equal(HttpStatusCode.Created, await UploadStatusAsync(write));
        Assert.Equal(HttpStatusCode.Created, await UploadStatusAsync(admin));

        // The references scope records where media are used, and nothing else: no edit, no sync by a reader.
        using (var put = await references.PutAsJsonAsync($"/api/media/{media.Id}/references", new { key = "page:/home", label = "Home" }, Ct))
            await put.ShouldBe(HttpStatusCode.Created);
        using (var sync = await references.PutAsJsonAsync("/api/references", new { key = "page:/about", media_ids = new[] { media.Id } }, Ct))
            await sync.ShouldBe(HttpStatusCode.OK);
        using (var patch = await references.PatchAsJsonAsync($"/api/media/{media.Id}", new { title = "no" }, Ct))
            await patch.ProblemAsync(HttpStatusCode.Forbidden);
        using (var byReader = await read.PutAsJsonAsync($"/api/media/{media.Id}/references", new { key = "page:/x" }, Ct))
            await byReader.ProblemAsync(HttpStatusCode.Forbidden);

        // Admin's endpoints: the audit list and the keys themselves.
        using (var audit = await write.GetAsync("/api/history", Ct)) await audit.ProblemAsync(HttpStatusCode.Forbidden);
        using (var audit = await admin.GetAsync("/api/history", Ct)) await audit.ShouldBe(HttpStatusCode.OK);
        using (var keys = await write.GetAsync("/api/admin/keys", Ct)) await keys.ProblemAsync(HttpStatusCode.Forbidden);
        using (var keys = await admin.GetAsync("/api/admin/keys", Ct)) await keys.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TwoKeys_UnderTheSameIdempotencyKey_MakeTwoMedia_AndEachReplaysOnlyItsOwn()
    {
        var first = KeyClient((await CreateAsync(Unique("site A "), ["write"])).Key);
        var second = KeyClient((await CreateAsync(Unique("site B "), ["write"])).Key);
        var idempotencyKey = Unique("deploy-");
        async Task<(HttpStatusCode Status, long Id, bool Replayed)> UploadAsync(HttpClient client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/media") { Content = TestFiles.Form(TestFiles.Png(4, 4), "same.png") };
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            using var response = await client.SendAsync(request, Ct);
            var media = await response.ReadAsync<MediaLibrary.Delivery.MediaResponse>();
            return (response.StatusCode, media.Id, response.Headers.Contains("Idempotent-Replayed"));
        }
        var a = await UploadAsync(first);
        var b = await UploadAsync(second);
        Assert.Equal((HttpStatusCode.Created, false), (a.Status, a.Replayed));
        Assert.Equal((HttpStatusCode.Created, false), (b.Status, b.Replayed));
        Assert.NotEqual(a.Id, b.Id);
        var again = await UploadAsync(second);
        Assert.Equal((HttpStatusCode.Created, b.Id, true), (again.Status, again.Id, again.Replayed));
    }

    [Fact]
    public async Task ChangesMadeWithAKey_AreNamedAfterIt_InHistoryAndLogs()
    {
        var created = await CreateAsync(Unique("CI deploy "), ["write"]);
        var client = KeyClient(created.Key);
        var media = await client.UploadAsync(TestFiles.Png(5, 5), "by-key.png");
        using (var edit = await client.PatchAsJsonAsync($"/api/media/{media.Id}", new { alt_text = "set by the backend" }, Ct))
            await edit.ShouldBe(HttpStatusCode.OK);

        var editor = await app.ClientAsync();
        var history = await editor.GetFromJsonAsync<HistoryListResponse>($"/api/media/{media.Id}/history", HttpExtensions.Json, Ct);
        var actor = $"key {created.Prefix} ({created.Name})";
        Assert.Equal(["edited", "created"], history!.Results.Select(h => h.Action));
        Assert.All(history.Results, h => Assert.Equal((actor, (long?)null), (h.Actor, h.ActorId)));
        var audit = await (await app.ClientAsync(Roles.Admin)).GetFromJsonAsync<HistoryListResponse>(
            $"/api/history?actor={Uri.EscapeDataString(actor)}", HttpExtensions.Json, Ct);
        Assert.Equal(2, audit!.Results.Count);

        var logged = app.Logs.GetSnapshot().Where(r => r.Message.Contains($"with API key {created.Id} ", StringComparison.Ordinal)).Select(r => r.Message).ToList();
        Assert.Contains(logged, m => m.StartsWith("POST /api/media with API key", StringComparison.Ordinal) && m.Contains("answered 201", StringComparison.Ordinal));
        Assert.Contains(logged, m => m.StartsWith($"PATCH /api/media/{media.Id} with API key", StringComparison.Ordinal) && m.Contains("answered 200", StringComparison.Ordinal));

        var listed = await (await app.ClientAsync(Roles.Admin)).GetFromJsonAsync<ApiKeyEndpoints.ApiKeyResponse>($"/api/admin/keys/{created.Id}", HttpExtensions.Json, Ct);
        Assert.NotNull(listed!.LastUsedAt);
    }

    [Fact]
    public async Task ARevokedKey_IsRefusedAtOnce_AndStaysListed()
    {
        var created = await CreateAsync(Unique("rotated "), ["write"]);
        var client = KeyClient(created.Key);
        Assert.Equal(HttpStatusCode.Created, await UploadStatusAsync(client)); // remembered by this node now

        var admin = await app.ClientAsync(Roles.Admin);
        using (var revoke = await admin.DeleteAsync($"/api/admin/keys/{created.Id}", Ct)) await revoke.ShouldBe(HttpStatusCode.NoContent);
        using (var refused = await client.PostAsync("/api/media", TestFiles.Form(TestFiles.Png(4, 4), "late.png"), Ct))
        {
            await refused.ProblemAsync(HttpStatusCode.Unauthorized);
            Assert.Contains("invalid_token", refused.Headers.WwwAuthenticate.ToString());
        }
        using (var again = await admin.DeleteAsync($"/api/admin/keys/{created.Id}", Ct)) await again.ShouldBe(HttpStatusCode.NoContent);
        using (var missing = await admin.DeleteAsync("/api/admin/keys/987654321", Ct)) await missing.ProblemAsync(HttpStatusCode.NotFound);
        var row = await admin.GetFromJsonAsync<ApiKeyEndpoints.ApiKeyResponse>($"/api/admin/keys/{created.Id}", HttpExtensions.Json, Ct);
        Assert.NotNull(row!.RevokedAt);
    }

    [Fact]
    public async Task AnExpiredKey_IsRefused()
    {
        var created = await CreateAsync(Unique("temporary "), ["write"], app.Time.GetUtcNow().UtcDateTime.AddHours(1));
        var client = KeyClient(created.Key);
        Assert.Equal(HttpStatusCode.Created, await UploadStatusAsync(client));
        app.Time.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(HttpStatusCode.Unauthorized, await UploadStatusAsync(client));
    }

    [Fact]
    public async Task ForgedMalformedOrUnknownKeys_Are401()
    {
        var created = await CreateAsync(Unique("real "), ["admin"]);
        var forged = created.Key[..^4] + (created.Key.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        var unknown = "mlk_000000000000_" + created.Key[17..];
        foreach (var key in new[] { forged, unknown, "mlk_short", "mlk_" + new string('x', 60), created.Key + "x" })
        {
            using var response = await KeyClient(key).GetAsync("/api/admin/keys", Ct);
            await response.ProblemAsync(HttpStatusCode.Unauthorized);
        }
    }

    [Theory]
    [InlineData("""{"scopes":["read"]}""", "name")]
    [InlineData("""{"name":"   ","scopes":["read"]}""", "name")]
    [InlineData("""{"name":"a\u0007bell","scopes":["read"]}""", "name")]
    [InlineData("""{"name":"ok"}""", "scopes")]
    [InlineData("""{"name":"ok","scopes":[]}""", "scopes")]
    [InlineData("""{"name":"ok","scopes":["read","superuser"]}""", "scopes")]
    [InlineData("""{"name":"ok","scopes":["read"],"expires_at":"2001-01-01T00:00:00Z"}""", "expires_at")]
    public async Task BadRequests_AreRefused_AndCreateNothing(string body, string field)
    {
        var before = await app.WithDbAsync(db => db.ApiKeys.CountAsync(Ct));
        var admin = await app.ClientAsync(Roles.Admin);
        using var response = await admin.PostAsync("/api/admin/keys", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(before, await app.WithDbAsync(db => db.ApiKeys.CountAsync(Ct)));
    }

    [Fact]
    public async Task OnlyAdmins_ManageKeys()
    {
        foreach (var role in new[] { Roles.Editor, Roles.Viewer })
        {
            var client = await app.ClientAsync(role);
            using var create = await client.PostAsJsonAsync("/api/admin/keys", new { name = "mine", scopes = new[] { "admin" } }, Ct);
            await create.ProblemAsync(HttpStatusCode.Forbidden);
        }
        using var anonymous = await app.CreateClient().GetAsync("/api/admin/keys", Ct);
        await anonymous.ProblemAsync(HttpStatusCode.Unauthorized);
    }
}

public sealed class SqliteApiKeyTests(FakeClockApp app) : ApiKeyTests(app), IClassFixture<FakeClockApp>;

public sealed class PostgresApiKeyTests(FakeClockApp.Postgres app) : ApiKeyTests(app), IClassFixture<FakeClockApp.Postgres>;
