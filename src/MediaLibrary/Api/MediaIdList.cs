using System.Text.Json;

namespace MediaLibrary.Api;

/// <summary>A list of media ids in a JSON body, read as raw JSON so that one of another kind gets a clear error.</summary>
public static class MediaIdList
{
    /// <summary>
    /// The ids, each once (the first time it is named), when every entry is a whole number from 1; otherwise the first
    /// five that are not, under <paramref name="field"/>, and no ids.
    /// </summary>
    public static List<long> Parse(IReadOnlyList<JsonElement> raw, string field, Dictionary<string, string[]> errors)
    {
        var bad = new List<string>();
        for (var i = 0; i < raw.Count && bad.Count < 5; i++)
            if (raw[i].ValueKind != JsonValueKind.Number || !raw[i].TryGetInt64(out var id) || id < 1)
                bad.Add($"{field}[{i}] ({Shorten(raw[i].GetRawText())}) is not a media id: ids are whole numbers from 1.");
        if (bad.Count > 0) errors[field] = [.. bad];
        return bad.Count > 0 ? [] : raw.Select(e => e.GetInt64()).Distinct().ToList();
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
