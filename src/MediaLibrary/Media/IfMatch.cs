using Microsoft.Net.Http.Headers;

namespace MediaLibrary.Media;

/// <summary>
/// An If-Match precondition (RFC 9110 13.1.1) as the endpoint parsed it with ASP.NET's typed headers. Strong comparison;
/// "*" matches any existing media. A header that was sent but holds no valid entity tag matches nothing.
/// </summary>
public sealed record IfMatch(bool Present, IReadOnlyList<EntityTagHeaderValue> Tags, string Text)
{
    public static readonly IfMatch None = new(false, [], "");

    public bool Matches(string etag)
    {
        if (!Present) return true;
        var current = new EntityTagHeaderValue(etag);
        return Tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: true));
    }
}
