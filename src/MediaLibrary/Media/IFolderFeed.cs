namespace MediaLibrary.Media;

/// <summary>
/// Told of every change to the folder tree, in its transaction (webhooks queue their deliveries here). Like
/// <see cref="IChangeFeed"/> it only adds rows to the context; the tree saves them with the change. The folder given
/// is the folder as the change left it (as it was, for a deletion). True when it added something.
/// </summary>
public interface IFolderFeed
{
    bool FolderChanged(Folder folder, string action, object? details);
}
