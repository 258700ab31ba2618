namespace MediaLibrary.Cleanup;

public sealed class ReconcileReport
{
    public bool Applied { get; init; }
    public bool Resumed { get; set; }
    public int ObjectsScanned { get; set; }
    public int RowsScanned { get; set; }
    public List<OrphanObject> Orphans { get; } = [];
    public List<DanglingRow> Dangling { get; } = [];

    /// <summary>Rows flagged missing earlier whose object is there again.</summary>
    public int Restored { get; set; }
}
