namespace MediaLibrary.Media;

/// <summary>
/// Who makes the changes of this scope, for their history entries: the signed-in user of a request (set by the API
/// before its endpoint runs), or the service itself (the worker's purges, command-line verbs).
/// </summary>
public sealed class ChangeActor
{
    public const string System = "system";

    public string Name { get; set; } = System;
    public long? UserId { get; set; }
    public string? RequestId { get; set; }
    public string? ClientAddress { get; set; }
}
