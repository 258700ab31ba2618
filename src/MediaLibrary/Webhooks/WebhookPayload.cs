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

    public static string Serialize(WebhookEvent evt, MediaResponse? media) => JsonSerializer.Serialize(new
    {
        type = evt.Type,
        timestamp = evt.CreatedAt,
        data = new
        {
            media_id = evt.MediaId,
            action = evt.Action,
            media,
            change = evt.Change is null ? null : JsonNode.Parse(evt.Change),
            retired = evt.Retired is null ? new JsonArray() : JsonNode.Parse(evt.Retired),
            actor = evt.Actor,
            request_id = evt.RequestId,
        },
    }, Json);

    /// <summary>A test event's body: it tells no change.</summary>
    public static string SerializeTest(WebhookEvent evt, long endpointId) => JsonSerializer.Serialize(new
    {
        type = evt.Type,
        timestamp = evt.CreatedAt,
        data = new
        {
            endpoint_id = endpointId,
            action = evt.Action,
            message = "A test event, sent on request: nothing changed.",
            actor = evt.Actor,
            request_id = evt.RequestId,
        },
    }, Json);

    /// <summary>A folder event's body: the folder as the change left it (null after a deletion) and what changed.</summary>
    public static string SerializeFolder(WebhookEvent evt, Media.Folder folder) => JsonSerializer.Serialize(new
    {
        type = evt.Type,
        timestamp = evt.CreatedAt,
        data = new
        {
            folder_id = folder.Id,
            action = evt.Action,
            folder = evt.Action == "deleted" ? null : new { id = folder.Id, name = folder.Name, parent_id = folder.ParentId, updated_at = folder.UpdatedAt },
            change = evt.Change is null ? null : JsonNode.Parse(evt.Change),
            actor = evt.Actor,
            request_id = evt.RequestId,
        },
    }, Json);
}
