namespace MediaLibrary.Media;

/// <summary>A file part as it arrives: its type read from the first bytes, the rest still on the wire.</summary>
public sealed class IncomingFile(string fileName, SniffResult sniff, HashingStream content)
{
    public string FileName { get; } = fileName;
    public SniffResult Sniff { get; } = sniff;

    /// <summary>The whole file (sniffed head included); hashes and counts as it is read.</summary>
    public HashingStream Content { get; } = content;
}
