using MediaLibrary.Auth;
using MediaLibrary.Cleanup;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MediaLibrary.Operations;

/// <summary>Operators' view of the storage cleanup: what is waiting, what is dead, and a way to retry.</summary>
public static class AdminEndpoints
{
    public const int MaxEntries = 500;

    public static RouteGroupBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin").WithTags("Admin").RequireAuthorization(Policies.Admin);
        group.MapGet("/deletions", List).WithName("ListPendingDeletions")
            .WithSummary("Pending and dead storage deletions, oldest first, with counts, the oldest age and counters.");
        group.MapPost("/deletions/{id:long}/retry", Retry).WithName("RetryPendingDeletion")
            .WithSummary("Put a dead (or waiting) deletion back in line for an attempt now.");
        return group;
    }

    public static async Task<Results<Ok<DeletionBacklogResponse>, ValidationProblem>> List(
        CleanupQueue cleanup, CleanupMetrics metrics, CancellationToken ct,
        [FromQuery] string? status = null, [FromQuery] int limit = 100)
    {
        PendingDeletionStatus? filter = status switch
        {
            null or "all" => null,
            "pending" => PendingDeletionStatus.Pending,
            "dead" => PendingDeletionStatus.Dead,
            _ => (PendingDeletionStatus)(-1),
        };
        var errors = new Dictionary<string, string[]>();
        if ((int?)filter == -1) errors["status"] = ["status is one of all, pending, dead."];
        if (limit is < 1 or > MaxEntries) errors["limit"] = [$"limit is a whole number from 1 to {MaxEntries}."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The request is invalid.");

        var backlog = await cleanup.GetBacklogAsync(filter, limit, ct);
        return TypedResults.Ok(new DeletionBacklogResponse(backlog.PendingCount, backlog.DeadCount,
            backlog.OldestPendingAge?.TotalSeconds, metrics.Snapshot(), backlog.Entries.Select(PendingDeletionResponse.From).ToList()));
    }

    public static async Task<Results<Ok<PendingDeletionResponse>, ProblemHttpResult>> Retry(long id, CleanupQueue cleanup, CancellationToken ct)
    {
        var entry = await cleanup.RetryAsync(id, ct);
        if (entry is null)
            return TypedResults.Problem(statusCode: 404, title: "Deletion not found.", detail: $"There is no pending deletion {id}; it may be done already.");
        await cleanup.RunInlineAsync([entry], ct);
        var after = await cleanup.FindAsync(id, ct);
        return TypedResults.Ok(after is null ? PendingDeletionResponse.From(entry) with { Status = "done" } : PendingDeletionResponse.From(after));
    }
}
