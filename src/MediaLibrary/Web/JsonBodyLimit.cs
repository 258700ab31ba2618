namespace MediaLibrary.Web;

/// <summary>Endpoint metadata: this endpoint's JSON bodies may be larger than MEDIALIB_MAX_JSON_BYTES, up to <see cref="Bytes"/>.</summary>
public sealed record JsonBodyLimit(long Bytes);
