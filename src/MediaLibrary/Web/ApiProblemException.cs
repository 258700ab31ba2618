namespace MediaLibrary.Web;

/// <summary>An error the client can act on, with its HTTP status.</summary>
public class ApiProblemException(int status, string title, string detail, IDictionary<string, object?>? extensions = null)
    : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public IDictionary<string, object?> Extensions { get; } = extensions ?? new Dictionary<string, object?>();
}

/// <summary>400 with per-field errors; field names as the client sent them (snake_case).</summary>
public sealed class RequestValidationException(IDictionary<string, string[]> errors)
    : Exception("The request is invalid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")))
{
    public IDictionary<string, string[]> Errors { get; } = errors;

    public static RequestValidationException For(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>Reading the client's upload failed (disconnect, malformed framing); not a storage fault.</summary>
public sealed class UploadReadException(string message, Exception inner) : Exception(message, inner);
