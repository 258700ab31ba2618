using MediaLibrary.Web;

namespace MediaLibrary.Media;

public static class UploadLimits
{
    public static ApiProblemException TooLarge(long maxBytes) => new(
        StatusCodes.Status413PayloadTooLarge,
        "The file is too large.",
        $"The upload limit is {Describe(maxBytes)}, set by MEDIALIB_MAX_UPLOAD_BYTES.",
        new Dictionary<string, object?> { ["max_upload_bytes"] = maxBytes });

    /// <summary>"1 GiB (1073741824 bytes)", or just "1000 bytes" when there is no rounder way to say it.</summary>
    public static string Describe(long bytes) => FormatBytes(bytes) is var round && round != $"{bytes} bytes" ? $"{round} ({bytes} bytes)" : round;

    public static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30} GiB",
        >= 1L << 20 when bytes % (1L << 20) == 0 => $"{bytes >> 20} MiB",
        >= 1L << 10 when bytes % (1L << 10) == 0 => $"{bytes >> 10} KiB",
        _ => $"{bytes} bytes",
    };
}
