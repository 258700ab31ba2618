using MediaLibrary.Delivery;

namespace MediaLibrary.Api;

/// <summary>A page of the trash: <see cref="Count"/> media in it in all, <see cref="Next"/> the link to the following page.</summary>
public sealed record TrashListResponse(int Count, string? Next, IReadOnlyList<MediaResponse> Results);
