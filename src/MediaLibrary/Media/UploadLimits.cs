using MediaLibrary.Web;

namespace MediaLibrary.Media;

public static class UploadLimits
{
    public static ApiProblemException TooLarge(long maxBytes) => new(
        StatusCodes.Status413PayloadTooLarge,
        "The file is too large.",
        $"The upload limit is {FormatBytes(maxBytes)} ({maxBytes} bytes), set by MEDIALIB_MAX_UPLOAD_BYTES.",
        new Dictionary<string, object?> { ["max_upload_bytes"] = maxBytes });

    public static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30} GiB",
        >= 1L << 20 when bytes % (1L << 20) == 0 => $"{bytes >> 20} MiB",
        >= 1L << 10 when bytes % (1L << 10) == 0 => $"{bytes >> 10} KiB",
        _ => $"{bytes} bytes",
    };
}
