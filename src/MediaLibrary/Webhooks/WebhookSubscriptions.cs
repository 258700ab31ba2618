using MediaLibrary.Data;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Webhooks;

/// <summary>
/// The active endpoints and the event types each takes, held in memory so that a change asks no query to learn whether
/// anyone listens. Reloaded on every poll of <see cref="WebhookDispatcher"/> (an endpoint saved on another node counts
/// from that node's next poll) and at once after a change on this node.
/// </summary>
public sealed class WebhookSubscriptions(IServiceScopeFactory scopes)
{
    private sealed record Subscriber(long Id, HashSet<string> Events);

    private volatile IReadOnlyList<Subscriber>? _current;

    /// <summary>The ids of the active endpoints that take <paramref name="type"/>.</summary>
    public IReadOnlyList<long> For(string type)
    {
        // Before the first poll (a command-line verb has no dispatcher): one load, on the caller's thread.
        var current = _current ?? LoadAsync(CancellationToken.None).GetAwaiter().GetResult();
        return current.Count == 0 ? [] : [.. current.Where(s => s.Events.Contains(WebhookEventTypes.All) || s.Events.Contains(type)).Select(s => s.Id)];
    }

    /// <summary>The ids of the active endpoints, as of the last load.</summary>
    public IReadOnlyList<long> ActiveIds => _current?.Select(s => s.Id).ToList() ?? [];

    public async Task RefreshAsync(CancellationToken ct) => await LoadAsync(ct);

    private async Task<IReadOnlyList<Subscriber>> LoadAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<MediaDbContext>().WebhookEndpoints.AsNoTracking()
            .Where(e => e.Active).Select(e => new { e.Id, e.Events }).ToListAsync(ct);
        var current = rows.Select(r => new Subscriber(r.Id, [.. r.Events.Split(' ', StringSplitOptions.RemoveEmptyEntries)])).ToList();
        _current = current;
        return current;
    }
}
