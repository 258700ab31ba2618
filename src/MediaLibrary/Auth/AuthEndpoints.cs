namespace MediaLibrary.Auth;

public static class AuthEndpoints
{
    public const string TokenRateLimit = "token";

    public sealed record TokenRequest(string? Username, string? Password);

    public static RouteGroupBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/token", IssueToken)
            .RequireRateLimiting(TokenRateLimit)
            .WithName("IssueToken")
            .WithSummary("Exchange a user name and password for a bearer token.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return group;
    }

    public static async Task<Microsoft.AspNetCore.Http.HttpResults.Results<
        Microsoft.AspNetCore.Http.HttpResults.Ok<TokenResponse>,
        Microsoft.AspNetCore.Http.HttpResults.ValidationProblem,
        Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>> IssueToken(
        TokenRequest request, UserAccounts accounts, TokenService tokens, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(request.Username)) errors["username"] = ["The user name is required."];
        if (string.IsNullOrEmpty(request.Password)) errors["password"] = ["The password is required."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The request is invalid.");

        var user = await accounts.AuthenticateAsync(request.Username!, request.Password!, ct);
        if (user is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed.", detail: "The user name or password is wrong.");
        return TypedResults.Ok(tokens.Issue(user));
    }
}
