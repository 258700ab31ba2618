using MediaLibrary.Web;

namespace MediaLibrary.Api;

/// <summary>How much of an upload's form besides the file the service reads: parts of any kind, and text fields' bytes together.</summary>
public sealed record FormLimits(int MaxParts, int MaxFieldBytes)
{
    public static FormLimits From(WebOptions options) => new(options.MaxFormParts, options.MaxFormFieldBytes);

    public ApiProblemException TooLarge(string detail, string limitName, int limit) =>
        new(StatusCodes.Status413PayloadTooLarge, "The form is too large.", detail, new Dictionary<string, object?> { [limitName] = limit });
}
