using MediaLibrary.Media;

namespace MediaLibrary.Api;

/// <summary>A <see cref="MediaFilter"/>'s folder and tag ids; <see cref="MatchesNothing"/> when it names a tag no media has.</summary>
public sealed record ResolvedFilter(FolderFilter? Folder, IReadOnlyList<long>? Tags, bool MatchesNothing);
