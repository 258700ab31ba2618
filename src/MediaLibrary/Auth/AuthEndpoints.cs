using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace MediaLibrary.Auth;

public static class AuthEndpoints
{
    public const string TokenRateLimit = "token";

    /// <summary>Carries the session's token to <c>&lt;img&gt;</c> requests under /files, which cannot send a bearer header.</summary>
    public const string FilesCookie = "medialib_files";

    public sealed record TokenRequest(string? Username, string? Password);

    public static RouteGroupBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/token", IssueToken)
            .RequireRateLimiting(TokenRateLimit)
            .WithName("IssueToken")
            .WithSummary("Exchange a user name and password for a bearer token.")
            .WithDescription("Each token is one sign-in, valid until it expires or is revoked (sign-out, a new password or role, " +
                "the user's deletion). 403 when password sign-in is turned off (MEDIALIB_PASSWORD_SIGNIN=false). A user name is locked for a while after repeated failures (429 with Retry-After).")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/sign-out", SignOut)
            .RequireAuthorization(Policies.Read)
            .WithName("SignOut")
            .WithSummary("End this token's sign-in: the token stops working on every node within seconds.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("/files-cookie", SetFilesCookie)
            .RequireAuthorization(Policies.Read)
            .WithName("SetFilesCookie")
            .WithSummary("For a page on this service's origin: a cookie scoped to /files (HttpOnly, SameSite=Strict) so its <img> " +
                "elements load files when reads need a token. It carries this token and ends with it.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapSingleSignOn();
        return group;
    }

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> IssueToken(
        TokenRequest request, UserAccounts accounts, SignInThrottling throttling, TokenService tokens, IOptions<SingleSignOnOptions> sso,
        HttpContext http, CancellationToken ct)
    {
        if (!sso.Value.PasswordSignIn)
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Password sign-in is turned off.",
                detail: $"Sign in with {sso.Value.Name} (GET /api/auth/sso/start), or use an API key.");
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(request.Username)) errors["username"] = ["The user name is required."];
        else if (request.Username.Length > 100) errors["username"] = ["A user name is at most 100 characters."];
        if (string.IsNullOrEmpty(request.Password)) errors["password"] = ["The password is required."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The request is invalid.");

        var name = request.Username!;
        if (await throttling.LockedForAsync(name, ct) is { } locked)
        {
            var seconds = (int)Math.Ceiling(locked.TotalSeconds);
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed sign-ins.",
                detail: $"This user name is locked after repeated failed sign-ins. Try again in {seconds} seconds.");
        }
        var user = await accounts.AuthenticateAsync(name, request.Password!, ct);
        if (user is null)
        {
            await throttling.FailedAsync(name, ct);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed.", detail: "The user name or password is wrong.");
        }
        await throttling.SucceededAsync(name, ct);
        return TypedResults.Ok(await tokens.IssueAsync(user, ct));
    }

    public static async Task<NoContent> SignOut(HttpContext http, UserAccounts accounts, CancellationToken ct)
    {
        if (http.User.FindFirst(JwtRegisteredClaimNames.Jti)?.Value is { } session) await accounts.SignOutAsync(session, ct);
        http.Response.Cookies.Delete(FilesCookie, CookieOptions(http, null));
        return TypedResults.NoContent();
    }

    public static NoContent SetFilesCookie(HttpContext http, TimeProvider time)
    {
        var token = http.Request.Headers.Authorization.ToString();
        var expires = long.TryParse(http.User.FindFirst(JwtRegisteredClaimNames.Exp)?.Value, CultureInfo.InvariantCulture, out var exp)
            ? DateTimeOffset.FromUnixTimeSeconds(exp) : time.GetUtcNow();
        if (token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            http.Response.Cookies.Append(FilesCookie, token["Bearer ".Length..].Trim(), CookieOptions(http, expires));
        return TypedResults.NoContent();
    }

    private static CookieOptions CookieOptions(HttpContext http, DateTimeOffset? expires) => new()
    {
        Path = "/files",
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        // Over plain HTTP (a laptop, a test) a Secure cookie would never be sent back.
        Secure = http.Request.IsHttps,
        Expires = expires,
        IsEssential = true,
    };
}
