using System.ComponentModel.DataAnnotations;

namespace MediaLibrary.Imaging;

public sealed class ImagingOptions : IValidatableObject
{
    /// <summary>The widths served without a signature and listed as the media's variants, comma-separated.</summary>
    [ConfigurationKeyName("MEDIALIB_IMAGE_WIDTHS")]
    public string Widths { get; set; } = "320,640,1024,1920";

    /// <summary>The format of the variants listed in the media JSON.</summary>
    [ConfigurationKeyName("MEDIALIB_IMAGE_FORMAT")]
    [EnumDataType(typeof(VariantFormat), ErrorMessage = "MEDIALIB_IMAGE_FORMAT is auto, webp, avif, jpeg or png.")]
    public VariantFormat VariantFormat { get; set; } = VariantFormat.Webp;

    /// <summary>The variant format as a transform names it (<c>f_webp</c>).</summary>
    public string VariantFormatName => VariantFormat.ToString().ToLowerInvariant();

    /// <summary>How many images are decoded or rendered at once; the rest wait in a queue.</summary>
    [ConfigurationKeyName("MEDIALIB_IMAGE_CONCURRENCY")]
    [Range(1, 256, ErrorMessage = "MEDIALIB_IMAGE_CONCURRENCY must be between 1 and 256.")]
    public int Concurrency { get; set; } = Environment.ProcessorCount;

    /// <summary>How many image jobs may wait for a slot; beyond that a render answers 503 with Retry-After.</summary>
    [ConfigurationKeyName("MEDIALIB_IMAGE_QUEUE")]
    [Range(1, 100_000, ErrorMessage = "MEDIALIB_IMAGE_QUEUE must be between 1 and 100000.")]
    public int MaxQueue { get; set; } = 256;

    /// <summary>Largest width or height a signed transform may ask for.</summary>
    [ConfigurationKeyName("MEDIALIB_IMAGE_MAX_DIMENSION")]
    [Range(16, 16384, ErrorMessage = "MEDIALIB_IMAGE_MAX_DIMENSION must be between 16 and 16384.")]
    public int MaxDimension { get; set; } = 4096;

    /// <summary>
    /// HMAC key for signed transforms (at least 32 bytes). Empty: a key generated once into the data folder;
    /// several nodes must share one, so set it there.
    /// </summary>
    [ConfigurationKeyName("MEDIALIB_IMAGE_SIGNING_KEY")]
    public string? SigningKey { get; set; }

    /// <summary>Largest animation accepted: frames × width × height, read from the header before decoding.</summary>
    [ConfigurationKeyName("MEDIALIB_MAX_ANIMATION_PIXELS")]
    [Range(1, long.MaxValue, ErrorMessage = "MEDIALIB_MAX_ANIMATION_PIXELS must be a positive number of pixels.")]
    public long MaxAnimationPixels { get; set; } = 500_000_000;

    public IReadOnlyList<int> WidthList => ParseWidths(Widths) ?? [];

    private static List<int>? ParseWidths(string text)
    {
        var widths = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var w)) return null;
            widths.Add(w);
        }
        return widths.Order().Distinct().ToList();
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var widths = ParseWidths(Widths);
        if (widths is null || widths.Count == 0 || widths.Any(w => w < 16 || w > MaxDimension))
            yield return new ValidationResult(
                $"MEDIALIB_IMAGE_WIDTHS must be a comma-separated list of widths between 16 and {MaxDimension} (MEDIALIB_IMAGE_MAX_DIMENSION); it is '{Widths}'.");
        if (!string.IsNullOrEmpty(SigningKey) && System.Text.Encoding.UTF8.GetByteCount(SigningKey) < 32)
            yield return new ValidationResult("MEDIALIB_IMAGE_SIGNING_KEY must be at least 32 bytes long.");
    }
}
