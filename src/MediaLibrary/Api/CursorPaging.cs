using System.Globalization;
using MediaLibrary.Media;

namespace MediaLibrary.Api;

/// <summary>The paging of the newest-first lists (the trash, the history): their cursor and page_size, and the next link.</summary>
public static class CursorPaging
{
    /// <summary>The cursor (of <paramref name="kind"/>) and page size a request asks for; a bad one is named in <paramref name="errors"/>.</summary>
    public static (TimeCursor? After, int Size) Read(string? cursor, string kind, string? pageSize, Dictionary<string, string[]> errors)
    {
        TimeCursor? after = null;
        if (cursor is not null && (after = TimeCursor.Decode(cursor, kind)) is null)
            errors["cursor"] = ["cursor is not one this service wrote; follow the next link as given."];
        var size = MediaEndpoints.DefaultPageSize;
        if (pageSize is not null && (!int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MediaEndpoints.MaxPageSize))
            errors["page_size"] = [$"page_size is a whole number from 1 to {MediaEndpoints.MaxPageSize}."];
        return (after, size);
    }

    /// <summary>The request's own URL with its filters and page size, starting after <paramref name="next"/>; null on the last page.</summary>
    public static string? NextLink(HttpRequest request, TimeCursor? next, string kind) => next is null ? null
        : $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}" +
          Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("", request.Query
              .Where(q => q.Key != "cursor")
              .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
              .Append(new("cursor", next.Encode(kind))));
}
