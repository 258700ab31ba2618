using System.Security.Cryptography;

namespace MediaLibrary.Webhooks;

/// <summary>
/// One change, as the webhooks tell it: written in the transaction of the change, with one
/// <see cref="WebhookDelivery"/> per endpoint that takes its type. <see cref="Payload"/> is written with it, just before
/// the change saves (the media as the change left it), so that every attempt and every endpoint get the same bytes.
/// </summary>
public sealed class WebhookEvent
{
    /// <summary>The webhook-id: msg_ and 26 random base32 characters; a receiver de-duplicates by it.</summary>
    public required string Id { get; set; }

    public required string Type { get; set; }
    public long? MediaId { get; set; }

    /// <summary>The history action it comes from, and that entry's details (JSON).</summary>
    public required string Action { get; set; }

    public string? Change { get; set; }

    /// <summary>The versions it retired (JSON: version, original URL, prefix of every URL of that version).</summary>
    public string? Retired { get; set; }

    public required string Actor { get; set; }
    public string? RequestId { get; set; }

    public string? Payload { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>msg_ and 26 characters of base32 (130 random bits): unique without a round trip.</summary>
    public static string NewId()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        Span<byte> bytes = stackalloc byte[26];
        RandomNumberGenerator.Fill(bytes);
        Span<char> chars = stackalloc char[26];
        for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[bytes[i] & 31];
        return "msg_" + new string(chars);
    }
}
