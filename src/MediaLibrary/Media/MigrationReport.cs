namespace MediaLibrary.Media;

/// <summary>What a storage migration found and did.</summary>
public sealed class MigrationReport
{
    public int ToMove { get; set; }
    public long Bytes { get; set; }
    public int Moved { get; set; }
    public List<string> Failures { get; } = [];
}
