namespace MediaLibrary.Media;

/// <summary>Which history entries to list: of one media, by one actor, of one action, in a time range [Since, Until).</summary>
public sealed record HistoryFilter(long? MediaId = null, string? Actor = null, string? Action = null, DateTime? Since = null, DateTime? Until = null);
