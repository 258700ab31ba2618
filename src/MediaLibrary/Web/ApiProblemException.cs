namespace MediaLibrary.Web;

/// <summary>An error the client can act on, with its HTTP status.</summary>
public class ApiProblemException(int status, string title, string detail, IDictionary<string, object?>? extensions = null)
    : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public IDictionary<string, object?> Extensions { get; } = extensions ?? new Dictionary<string, object?>();
}
