using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaLibrary.Auth;

/// <summary>/api/admin/users: the CLI's users verbs for admins over HTTP. Every change of role or password, a deletion and
/// a revocation end the user's sign-ins.</summary>
public static class UserEndpoints
{
    /// <param name="Username">The name the user signs in with.</param>
    /// <param name="Role">admin, editor or viewer.</param>
    /// <param name="CreatedAt">When the user was added.</param>
    /// <param name="SingleSignOn">Made by single sign-on: its role follows the provider's claim at each sign-in.</param>
    /// <param name="HasPassword">False for a user who signs in only through single sign-on.</param>
    public sealed record UserResponse(string Username, string Role, DateTime CreatedAt, bool SingleSignOn, bool HasPassword)
    {
        public static UserResponse From(User user) => new(user.UserName, user.Role, user.CreatedAt, user.ExternalId is not null, user.PasswordHash.Length > 0);
    }

    public sealed record NewUserRequest(string? Username, string? Role, string? Password);

    public sealed record UserChangeRequest(string? Role, string? Password);

    public sealed record RevokeResponse(int SessionsEnded);

    public static RouteGroupBuilder MapUsers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/users").WithTags("Users").RequireAuthorization(Policies.Admin);
        group.MapGet("/", List).WithName("ListUsers").WithSummary("The users: name, role and when each was added.");
        group.MapPost("/", Add).WithName("AddUser").WithSummary("Add a user with a role and a password.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPatch("/{username}", Change).WithName("ChangeUser")
            .WithSummary("Change a user's role or password; either ends all of the user's sign-ins.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{username}", Delete).WithName("DeleteUser")
            .WithSummary("Delete a user; the user's tokens stop working. The last admin cannot be deleted.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{username}/revoke", Revoke).WithName("RevokeUserSessions")
            .WithSummary("Sign a user out everywhere: every token issued to the user so far stops working.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<Ok<List<UserResponse>>> List(UserAccounts accounts, CancellationToken ct) =>
        TypedResults.Ok((await accounts.ListAsync(ct)).Select(UserResponse.From).ToList());

    public static Task<Results<Created<UserResponse>, ValidationProblem, ProblemHttpResult>> Add(
        NewUserRequest request, UserAccounts accounts, CancellationToken ct) =>
        Answer<Created<UserResponse>>(async () =>
        {
            Check(("username", request.Username is null ? "The user name is required." : UserAccounts.NameProblem(request.Username)),
                ("role", request.Role is null ? $"The role is required: one of {string.Join(", ", Roles.All)}." : UserAccounts.RoleProblem(request.Role)),
                ("password", request.Password is null ? "The password is required." : UserAccounts.PasswordProblem(request.Password)));
            var user = await accounts.AddAsync(request.Username!, request.Role!, request.Password!, ct);
            return TypedResults.Created($"/api/admin/users/{Uri.EscapeDataString(user.UserName)}", UserResponse.From(user));
        });

    public static Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> Change(
        string username, UserChangeRequest request, UserAccounts accounts, CancellationToken ct) =>
        Answer<Ok<UserResponse>>(async () =>
        {
            // All checked before anything is written: a bad password must not leave the role changed.
            Check(("role", request.Role is null ? (request.Password is null ? "Give a role, a password, or both." : null) : UserAccounts.RoleProblem(request.Role)),
                ("password", request.Password is null ? null : UserAccounts.PasswordProblem(request.Password)));
            if (request.Role is not null) await accounts.SetRoleAsync(username, request.Role, ct);
            if (request.Password is not null) await accounts.SetPasswordAsync(username, request.Password, ct);
            var user = (await accounts.ListAsync(ct)).Single(u => u.UserName == username);
            return TypedResults.Ok(UserResponse.From(user));
        });

    public static Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Delete(string username, UserAccounts accounts, CancellationToken ct) =>
        Answer<NoContent>(async () =>
        {
            await accounts.DeleteAsync(username, ct);
            return TypedResults.NoContent();
        });

    public static Task<Results<Ok<RevokeResponse>, ValidationProblem, ProblemHttpResult>> Revoke(string username, UserAccounts accounts, CancellationToken ct) =>
        Answer<Ok<RevokeResponse>>(async () => TypedResults.Ok(new RevokeResponse(await accounts.RevokeAsync(username, ct))));

    /// <summary>The accounts' refusals as problems: a bad value 400, no such user 404, a conflict (taken name, last admin) 409.</summary>
    private static async Task<Results<T, ValidationProblem, ProblemHttpResult>> Answer<T>(Func<Task<T>> action) where T : IResult
    {
        try
        {
            return await action();
        }
        catch (UserRequestException ex)
        {
            return TypedResults.ValidationProblem(ex.Errors, title: "The request is invalid.");
        }
        catch (UserNotFoundException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "User not found.", detail: ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The change conflicts with the users as they are.", detail: ex.Message);
        }
    }

    private static void Check(params (string Field, string? Problem)[] checks)
    {
        var errors = checks.Where(c => c.Problem is not null).ToDictionary(c => c.Field, c => new[] { c.Problem! });
        if (errors.Count > 0) throw new UserRequestException(errors);
    }

    private sealed class UserRequestException(Dictionary<string, string[]> errors) : Exception("The request is invalid.")
    {
        public Dictionary<string, string[]> Errors { get; } = errors;
    }
}
