namespace MediaLibrary.Media;

/// <summary>
/// A change of a media's tags, names already cleaned (<see cref="TagNames.CleanAll"/>): <see cref="Set"/> replaces
/// them all (null: keeps them), then <see cref="Add"/> adds and <see cref="Remove"/> removes.
/// </summary>
public sealed record TagChange(IReadOnlyList<string>? Set, IReadOnlyList<string> Add, IReadOnlyList<string> Remove)
{
    public static TagChange Replace(IReadOnlyList<string> tags) => new(tags, [], []);
    public static TagChange Adding(IReadOnlyList<string> tags) => new(null, tags, []);
    public static TagChange Removing(IReadOnlyList<string> tags) => new(null, [], tags);
}
