namespace MediaLibrary.Auth;

/// <summary>
/// A credential for a website's backend, not a person's: sent as a bearer token, <c>mlk_{LookupId}_{secret}</c>. The
/// secret is shown once; the row keeps its SHA-256 (the secret is 256 random bits, so a fast hash is safe) and the
/// lookup id, which is not secret and finds the row. A revoked key keeps its row, so that history can name it.
/// </summary>
public sealed class ApiKey
{
    public long Id { get; set; }
    public required string Name { get; set; }

    /// <summary>12 hex characters, unique: the part of the key that finds its row (and the prefix lists show).</summary>
    public required string LookupId { get; set; }

    /// <summary>SHA-256 of the whole key, lower-case hex.</summary>
    public required string SecretHash { get; set; }

    /// <summary>Space-separated <see cref="ApiKeyScopes"/>.</summary>
    public required string Scopes { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>The admin who created it (a user name, or "system" from the command line).</summary>
    public required string CreatedBy { get; set; }

    public DateTime? ExpiresAt { get; set; }

    /// <summary>When a request last used it, to within a minute.</summary>
    public DateTime? LastUsedAt { get; set; }

    public DateTime? RevokedAt { get; set; }

    public string Prefix => ApiKeys.KeyPrefix + LookupId;

    /// <summary>How history and logs name what the key changed: never a user name (those hold no spaces).</summary>
    public string ActorName => Actor(LookupId, Name);

    public static string Actor(string lookupId, string name)
    {
        var actor = $"key {ApiKeys.KeyPrefix}{lookupId} ({name})";
        return actor.Length <= 100 ? actor : actor[..99] + ")";
    }
}
