namespace MediaLibrary.Data;

/// <summary>
/// The row /health writes to prove the database takes writes (not only reads): one per machine, its last check's time.
/// </summary>
public sealed class NodeProbe
{
    public required string Node { get; set; }
    public DateTime CheckedAt { get; set; }
}
