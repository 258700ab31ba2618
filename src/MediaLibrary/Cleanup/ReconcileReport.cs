using MediaLibrary.Storage;

namespace MediaLibrary.Cleanup;

public sealed class ReconcileReport
{
    public bool Applied { get; init; }
    public bool Resumed { get; set; }
    public int ObjectsScanned { get; set; }
    public int RowsScanned { get; set; }
    public List<OrphanObject> Orphans { get; } = [];
    public List<DanglingRow> Dangling { get; } = [];

    /// <summary>Unfinished uploads (multipart parts, temporary files) older than the grace period that no entry covers.</summary>
    public List<(string Provider, UnfinishedUpload Upload)> StaleUploads { get; } = [];

    /// <summary>Storages that keep unfinished uploads but would not list them, with the reason.</summary>
    public List<string> UploadsNotListed { get; } = [];

    /// <summary>Rows flagged missing earlier whose object is there again.</summary>
    public int Restored { get; set; }
}
