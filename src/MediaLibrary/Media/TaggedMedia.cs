namespace MediaLibrary.Media;

/// <summary>
/// A media and its tags as a change committed them (names in name order). Known before the commit: a response never
/// reads the database after it, where a failed read would turn a committed change into an error.
/// </summary>
public sealed record TaggedMedia(MediaItem Media, IReadOnlyList<string> Tags);
