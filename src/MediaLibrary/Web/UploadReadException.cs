namespace MediaLibrary.Web;

/// <summary>Reading the client's upload failed (disconnect, malformed framing); not a storage fault.</summary>
public sealed class UploadReadException(string message, Exception inner) : Exception(message, inner);
