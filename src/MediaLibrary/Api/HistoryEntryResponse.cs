using System.Text.Json;
using MediaLibrary.Media;

namespace MediaLibrary.Api;

/// <summary>One change as the API shows it; <see cref="Details"/> is the JSON object the change recorded.</summary>
public sealed record HistoryEntryResponse(long Id, long MediaId, string Action, string Actor, long? ActorId, DateTime At, string? RequestId,
    string? ClientAddress, JsonElement? Details)
{
    public static HistoryEntryResponse From(HistoryEntry h) => new(h.Id, h.MediaId, h.Action, h.Actor, h.ActorId, h.At, h.RequestId, h.ClientAddress,
        h.Details is null ? null : JsonDocument.Parse(h.Details).RootElement.Clone());
}
