using System.Text.Json;
using System.Text.Json.Nodes;
using MediaLibrary.Delivery;

namespace MediaLibrary.Webhooks;

/// <summary>
/// The body of an event, as Standard Webhooks suggests it: type, timestamp and data. data holds the media as the change
/// left it (null after a deletion), the history entry's details of the change, the versions it retired (each with its
/// original's URL and the prefix every URL of that version starts with), the actor and the request id. A folder event's
/// data holds the folder instead.
/// </summary>
public static class WebhookPayload
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static string Serialize(WebhookEvent evt, MediaResponse? media) => Envelope(evt, new
    {
        media_id = evt.MediaId,
        action = evt.Action,
        media,
        change = Change(evt),
        retired = evt.Retired is null ? new JsonArray() : JsonNode.Parse(evt.Retired),
        actor = evt.Actor,
        request_id = evt.RequestId,
    });

    /// <summary>A test event's body: it tells no change.</summary>
    public static string SerializeTest(WebhookEvent evt, long endpointId) => Envelope(evt, new
    {
        endpoint_id = endpointId,
        action = evt.Action,
        message = "A test event, sent on request: nothing changed.",
        actor = evt.Actor,
        request_id = evt.RequestId,
    });

    /// <summary>A folder event's body: the folder as the change left it (null after a deletion) and what changed.</summary>
    public static string SerializeFolder(WebhookEvent evt, Media.Folder folder) => Envelope(evt, new
    {
        folder_id = folder.Id,
        action = evt.Action,
        folder = evt.Action == "deleted" ? null : new { id = folder.Id, name = folder.Name, parent_id = folder.ParentId, updated_at = folder.UpdatedAt },
        change = Change(evt),
        actor = evt.Actor,
        request_id = evt.RequestId,
    });

    /// <summary>Standard Webhooks' suggested shape: the type, when, and the event's data.</summary>
    private static string Envelope(WebhookEvent evt, object data) => JsonSerializer.Serialize(new { type = evt.Type, timestamp = evt.CreatedAt, data }, Json);

    private static JsonNode? Change(WebhookEvent evt) => evt.Change is null ? null : JsonNode.Parse(evt.Change);
}
