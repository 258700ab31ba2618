namespace MediaLibrary.Cleanup;

public enum PendingDeletionStatus
{
    Pending = 0,

    /// <summary>Gave up (attempt limit or a permanent error); stays visible until an operator acts.</summary>
    Dead = 1,
}
