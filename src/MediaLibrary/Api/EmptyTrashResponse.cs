namespace MediaLibrary.Api;

/// <summary><see cref="Purged"/> media were purged by the request; the cleanup worker purges the <see cref="Remaining"/> ones.</summary>
public sealed record EmptyTrashResponse(int Purged, int Remaining);
