namespace MediaLibrary.Storage;

/// <summary>
/// Types a browser would run (SVG's scripts). The service serves them only as an attachment under a sandbox CSP; a
/// storage that answers clients itself stores them as attachments, so even the object's own URL never runs them.
/// </summary>
public static class ActiveContent
{
    public static bool Is(string contentType) => contentType == "image/svg+xml";
}
