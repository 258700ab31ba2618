using MediaLibrary.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MediaLibrary.Webhooks;

/// <summary>/api/admin/webhooks: endpoints that receive signed events of every change, their deliveries, redelivery.</summary>
public static class WebhookEndpoints
{
    public sealed record WebhookRequest(string? Url, string[]? Events, string? Description, bool? Active, string? Secret);

    /// <summary>An endpoint; after a rotation, PreviousSecretUntil says until when the previous secret signs beside the new one.</summary>
    public sealed record WebhookResponse(long Id, string Url, string[] Events, string Description, bool Active, DateTime CreatedAt,
        DateTime UpdatedAt, string CreatedBy, DateTime? PreviousSecretUntil)
    {
        public static WebhookResponse From(WebhookEndpoint e, DateTime now) =>
            new(e.Id, e.Url, e.Events.Split(' '), e.Description, e.Active, e.CreatedAt, e.UpdatedAt, e.CreatedBy, PreviousUntil(e, now));
    }

    /// <summary>A new endpoint, or a new secret, with the secret: shown this once.</summary>
    public sealed record WebhookWithSecretResponse(long Id, string Url, string[] Events, string Description, bool Active, DateTime CreatedAt,
        DateTime UpdatedAt, string CreatedBy, DateTime? PreviousSecretUntil, string Secret)
    {
        public static WebhookWithSecretResponse From(WebhookEndpoint e, string secret, DateTime now) =>
            new(e.Id, e.Url, e.Events.Split(' '), e.Description, e.Active, e.CreatedAt, e.UpdatedAt, e.CreatedBy, PreviousUntil(e, now), secret);
    }

    private static DateTime? PreviousUntil(WebhookEndpoint e, DateTime now) => e.PreviousSecretUntil > now ? e.PreviousSecretUntil : null;

    /// <summary>The longest a previous secret may keep signing after a rotation: a week.</summary>
    public const int MaxKeepPreviousHours = 168;

    public sealed record WebhookDeliveryResponse(long Id, long EndpointId, string EventId, string EventType, long? MediaId, string Status,
        int Attempts, DateTime CreatedAt, DateTime? LastAttemptAt, int? LastStatusCode, string? LastResponse, string? LastError, DateTime? DeliveredAt)
    {
        public static WebhookDeliveryResponse From(WebhookDelivery d) => new(d.Id, d.EndpointId, d.EventId, d.EventType, d.MediaId,
            d.Status.ToString().ToLowerInvariant(), d.Attempts, d.CreatedAt, d.LastAttemptAt, d.LastStatusCode, d.LastResponse, d.LastError, d.DeliveredAt);
    }

    /// <summary>A page of deliveries, newest first; <see cref="Next"/> links to the page after it.</summary>
    public sealed record WebhookDeliveryListResponse(string? Next, IReadOnlyList<WebhookDeliveryResponse> Results);

    public static RouteGroupBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/webhooks").WithTags("Webhooks").RequireAuthorization(Policies.Admin);
        group.MapGet("", List).WithName("ListWebhooks").WithSummary("Every webhook endpoint: URL, event types, description, active. Never the secret.");
        group.MapPost("", Create).WithName("CreateWebhook")
            .WithSummary($"Register an endpoint: url, events ({string.Join(", ", WebhookEventTypes.Known)}, or \"*\"), an optional description, "
                + "active (default true) and secret (whsec_…; made when left out). The answer holds the secret, shown this once. Each event is "
                + "POSTed as JSON signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). A URL that resolves to a "
                + "loopback, private or link-local address is refused unless MEDIALIB_WEBHOOK_ALLOWED_NETWORKS names its network.");
        group.MapGet("/{id:long}", Get).WithName("GetWebhook").WithSummary("One webhook endpoint, without its secret.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPatch("/{id:long}", Update).WithName("UpdateWebhook")
            .WithSummary("Change an endpoint's url, events, description or active flag (what is given). A disabled endpoint gets no new "
                + "deliveries, and its pending ones turn dead; redeliver them once it is active again.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{id:long}", Delete).WithName("DeleteWebhook").WithSummary("Delete an endpoint with its deliveries.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:long}/secret", RotateSecret).WithName("RotateWebhookSecret")
            .WithSummary("Make a new signing secret for the endpoint, shown this once; attempts from now on are signed with it, and for "
                + "keep_previous_hours (24 by default, at most a week) with the previous one too (two signatures in webhook-signature, as "
                + "Standard Webhooks allows), so the receiver can switch to the new secret without a failed delivery.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:long}/deliveries", Deliveries).WithName("ListWebhookDeliveries")
            .WithSummary("The endpoint's deliveries, newest first, each with its attempts and the last answer (status and its first "
                + $"{WebhookSender.MaxResponseChars} characters) or error. Filter by status (pending, delivered, dead); limit 1 to 200 (default 50); "
                + "next links to the page after.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:long}/test", SendTest).WithName("SendWebhookTest")
            .WithSummary($"Send the endpoint a {WebhookEventTypes.Test} event, whatever types it takes, through the same queue as every delivery "
                + "(signed, retried, listed with its deliveries): to check the receiver and its secret. 409 when the endpoint is disabled.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:long}/deliveries/{deliveryId:long}/redeliver", Redeliver).WithName("RedeliverWebhook")
            .WithSummary("Send a delivery again, whatever its state, with the same webhook-id and body: pending, a fresh attempt count, due now.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<Ok<List<WebhookResponse>>> List(WebhookRegistry registry, TimeProvider time, CancellationToken ct) =>
        TypedResults.Ok((await registry.ListAsync(ct)).Select(e => WebhookResponse.From(e, time.GetUtcNow().UtcDateTime)).ToList());

    public static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> Get(long id, WebhookRegistry registry, TimeProvider time, CancellationToken ct) =>
        await registry.FindAsync(id, ct) is { } endpoint ? TypedResults.Ok(WebhookResponse.From(endpoint, time.GetUtcNow().UtcDateTime)) : NotFound(id);

    public static async Task<Results<Created<WebhookWithSecretResponse>, ValidationProblem, ProblemHttpResult>> Create(
        WebhookRequest request, WebhookRegistry registry, WebhookTargets targets, HttpContext http, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (await targets.ProblemAsync(request.Url, ct) is { } url) errors["url"] = [url];
        if (WebhookEventTypes.Problem(request.Events) is { } events) errors["events"] = [events];
        if (DescriptionProblem(request.Description) is { } description) errors["description"] = [description];
        if (request.Secret is not null && WebhookSecrets.Problem(request.Secret) is { } secret) errors["secret"] = [secret];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The request is invalid.");
        if (await registry.CountAsync(ct) >= WebhookRegistry.MaxEndpoints)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Too many webhook endpoints.",
                detail: $"At most {WebhookRegistry.MaxEndpoints} endpoints can be registered; delete one first.");
        var (endpoint, key) = await registry.CreateAsync(request.Url!, request.Events!, request.Description, request.Active ?? true, request.Secret,
            http.User.FindFirst("name")?.Value ?? "unknown", ct);
        return TypedResults.Created($"/api/admin/webhooks/{endpoint.Id}", WebhookWithSecretResponse.From(endpoint, key, time.GetUtcNow().UtcDateTime));
    }

    public static async Task<Results<Ok<WebhookResponse>, ValidationProblem, ProblemHttpResult>> Update(
        long id, WebhookRequest request, WebhookRegistry registry, WebhookTargets targets, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Url is not null && await targets.ProblemAsync(request.Url, ct) is { } url) errors["url"] = [url];
        if (request.Events is not null && WebhookEventTypes.Problem(request.Events) is { } events) errors["events"] = [events];
        if (DescriptionProblem(request.Description) is { } description) errors["description"] = [description];
        if (request.Secret is not null) errors["secret"] = ["A secret is changed with POST /api/admin/webhooks/{id}/secret, which makes a new one."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The request is invalid.");
        return await registry.UpdateAsync(id, request.Url, request.Events, request.Description, request.Active, ct) is { } endpoint
            ? TypedResults.Ok(WebhookResponse.From(endpoint, time.GetUtcNow().UtcDateTime)) : NotFound(id);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, WebhookRegistry registry, CancellationToken ct) =>
        await registry.DeleteAsync(id, ct) ? TypedResults.NoContent() : NotFound(id);

    /// <summary>keep_previous_hours: how long the secret it replaces keeps signing beside the new one, 0 to 168 hours (default 24).</summary>
    public static async Task<Results<Ok<WebhookWithSecretResponse>, ValidationProblem, ProblemHttpResult>> RotateSecret(
        long id, WebhookRegistry registry, TimeProvider time, CancellationToken ct, [FromQuery(Name = "keep_previous_hours")] string? keepPreviousHours = null)
    {
        var hours = 24;
        if (keepPreviousHours is not null && (!int.TryParse(keepPreviousHours, out hours) || hours is < 0 or > MaxKeepPreviousHours))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["keep_previous_hours"] = [$"keep_previous_hours is a whole number of hours from 0 (the old secret stops at once) to {MaxKeepPreviousHours}."],
            }, title: "The request is invalid.");
        if (await registry.RotateSecretAsync(id, TimeSpan.FromHours(hours), ct) is not { } secret || await registry.FindAsync(id, ct) is not { } endpoint)
            return NotFound(id);
        return TypedResults.Ok(WebhookWithSecretResponse.From(endpoint, secret, time.GetUtcNow().UtcDateTime));
    }

    public static async Task<Results<Ok<WebhookDeliveryListResponse>, ValidationProblem, ProblemHttpResult>> Deliveries(
        long id, string? status, long? before, int? limit, WebhookRegistry registry, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        WebhookDeliveryStatus? state = null;
        if (status is not null)
        {
            if (Enum.TryParse<WebhookDeliveryStatus>(status, ignoreCase: true, out var parsed) && !int.TryParse(status, out _)) state = parsed;
            else errors["status"] = ["status is pending, delivered or dead."];
        }
        if (limit is < 1 or > 200) errors["limit"] = ["limit is between 1 and 200."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The request is invalid.");
        if (await registry.FindAsync(id, ct) is null) return NotFound(id);
        var size = limit ?? 50;
        var (items, next) = await registry.DeliveriesAsync(id, state, before, size, ct);
        var link = next is null ? null
            : $"/api/admin/webhooks/{id}/deliveries?before={next}&limit={size}" + (state is null ? "" : $"&status={state.ToString()!.ToLowerInvariant()}");
        return TypedResults.Ok(new WebhookDeliveryListResponse(link, items.Select(WebhookDeliveryResponse.From).ToList()));
    }

    public static async Task<Results<Accepted<WebhookDeliveryResponse>, ProblemHttpResult>> Redeliver(
        long id, long deliveryId, WebhookRegistry registry, CancellationToken ct) =>
        await registry.RedeliverAsync(id, deliveryId, ct) is { } delivery
            ? TypedResults.Accepted($"/api/admin/webhooks/{id}/deliveries", WebhookDeliveryResponse.From(delivery))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Delivery not found.",
                detail: $"Webhook endpoint {id} has no delivery {deliveryId}.");

    public static async Task<Results<Accepted<WebhookDeliveryResponse>, ProblemHttpResult>> SendTest(
        long id, WebhookRegistry registry, Media.ChangeActor actor, CancellationToken ct) =>
        await registry.SendTestAsync(id, actor.Name, actor.RequestId, ct) is { } delivery
            ? TypedResults.Accepted($"/api/admin/webhooks/{id}/deliveries", WebhookDeliveryResponse.From(delivery))
            : NotFound(id);

    private static string? DescriptionProblem(string? description) =>
        description is { Length: > WebhookRegistry.MaxDescriptionLength } ? $"The description is longer than {WebhookRegistry.MaxDescriptionLength} characters."
        : description is not null && description.Any(char.IsControl) ? "The description must not hold control characters."
        : null;

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Webhook endpoint not found.", detail: $"There is no webhook endpoint {id}.");
}
