namespace MediaLibrary.Media;

/// <summary>The time rows are stamped with.</summary>
public static class StoredTime
{
    /// <summary>Now, to the millisecond: what both databases store, so a value reads back exactly as it was returned.</summary>
    public static DateTime Now(TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }
}
