namespace MediaLibrary.Media;

/// <summary>
/// What <see cref="ListPlanner"/> chose: the rows to page through, the offset of a numbered page, the count when it
/// is known without reading the page (null: count from the rows), and whether that count stops at the cap (a search,
/// a folder listed with everything below it): past it, counting would read every row.
/// </summary>
public sealed record ListPlan(IQueryable<MediaItem> Rows, int Offset, int? Count, bool CappedCount);
