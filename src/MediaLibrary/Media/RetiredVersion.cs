namespace MediaLibrary.Media;

/// <summary>
/// A media version on its way out, as it was before the change. <see cref="UrlRetired"/>: its file URL answers 404
/// from now on (a replace or a delete); false when only the storage under the same URL changed (a storage migration).
/// </summary>
public sealed record RetiredVersion(long MediaId, int Version, string FileName, string StorageKey, string StorageProvider, bool UrlRetired);
