namespace MediaLibrary.Media;

/// <summary>The list's orderings; each has an index with the id that breaks its ties.</summary>
public enum MediaOrdering { CreatedAt, CreatedAtDesc, Title, TitleDesc, Size, SizeDesc }
