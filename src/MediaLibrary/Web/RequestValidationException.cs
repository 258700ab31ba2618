namespace MediaLibrary.Web;

/// <summary>400 with per-field errors; field names as the client sent them (snake_case).</summary>
public sealed class RequestValidationException(IDictionary<string, string[]> errors)
    : Exception("The request is invalid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")))
{
    public IDictionary<string, string[]> Errors { get; } = errors;

    public static RequestValidationException For(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}
