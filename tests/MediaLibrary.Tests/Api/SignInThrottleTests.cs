using System.Net;
using System.Net.Http.Json;
using MediaLibrary.Auth;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaLibrary.Tests.Api;

/// <summary>The brake per user name: a lock after repeated failures that doubles, expires, and binds every name alike.</summary>
public abstract class SignInThrottleTests(FakeClockApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FiveFailures_LockTheName_ForThirtySeconds_ThenLonger_AndTheRightPasswordWaitsToo()
    {
        var name = await NewEditorAsync();
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await TryAsync(name, "wrong-password")).Status);

        var locked = await TryAsync(name, "password-" + name);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.Status);
        Assert.Equal("30", locked.RetryAfter);
        Assert.Contains("Try again in 30 seconds", locked.Detail);

        // Another name is not touched by this one's lock.
        Assert.Equal(HttpStatusCode.OK, (await TryAsync(await NewEditorAsync(), null)).Status);

        // After the lock a sixth failure locks again, for twice as long.
        app.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(HttpStatusCode.Unauthorized, (await TryAsync(name, "wrong-password")).Status);
        Assert.Equal("60", (await TryAsync(name, "password-" + name)).RetryAfter);

        // Once it runs out, the right password signs in and clears the count: one failure no longer locks.
        app.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.OK, (await TryAsync(name, null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TryAsync(name, "wrong-password")).Status);
        Assert.Equal(HttpStatusCode.OK, (await TryAsync(name, null)).Status);
    }

    [Fact]
    public async Task AnUnknownName_IsLockedLikeAKnownOne_SoTheLockTellsNothing()
    {
        var known = await NewEditorAsync();
        var unknown = "nobody-" + Guid.NewGuid().ToString("n")[..8];
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await TryAsync(known, "wrong-password")).Status);
            Assert.Equal(HttpStatusCode.Unauthorized, (await TryAsync(unknown, "wrong-password")).Status);
        }
        var a = await TryAsync(known, "wrong-password");
        var b = await TryAsync(unknown, "wrong-password");
        Assert.Equal((a.Status, a.RetryAfter, a.Detail), (b.Status, b.RetryAfter, b.Detail));
        Assert.Equal(HttpStatusCode.TooManyRequests, a.Status);
    }

    private async Task<string> NewEditorAsync()
    {
        var name = "editor-" + Guid.NewGuid().ToString("n")[..8];
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<UserAccounts>().AddAsync(name, Roles.Editor, "password-" + name, Ct);
        return name;
    }

    /// <summary>A sign-in; a null password means the user's right one.</summary>
    private async Task<(HttpStatusCode Status, string? RetryAfter, string? Detail)> TryAsync(string name, string? password)
    {
        using var response = await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = name, password = password ?? "password-" + name }, Ct);
        string? detail = null;
        if (!response.IsSuccessStatusCode) detail = (await response.ProblemAsync(response.StatusCode)).GetProperty("detail").GetString();
        return (response.StatusCode, response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), detail);
    }
}

public sealed class SqliteSignInThrottleTests(FakeClockApp app) : SignInThrottleTests(app), IClassFixture<FakeClockApp>;

public sealed class PostgresSignInThrottleTests(FakeClockApp.Postgres app) : SignInThrottleTests(app), IClassFixture<FakeClockApp.Postgres>;
