using System.Globalization;

namespace MediaLibrary.Imaging;

/// <summary>
/// What a derivative URL asks for, written as comma-separated <c>name_value</c> parts in a fixed order:
/// <c>w_640</c>, <c>h_480</c>, <c>fit_cover</c>, <c>f_webp</c>, <c>q_75</c>, and last <c>s_{signature}</c>.
/// One spelling per transform (the canonical one) so that each derivative is rendered and stored once.
/// </summary>
public sealed record ImageTransform(int? Width, int? Height, ImageFit Fit, string Format, int? Quality)
{
    public static readonly string[] Formats = ["auto", "webp", "avif", "jpeg", "png"];

    public string Canonical
    {
        get
        {
            var parts = new List<string>(5);
            if (Width is { } w) parts.Add(string.Create(CultureInfo.InvariantCulture, $"w_{w}"));
            if (Height is { } h) parts.Add(string.Create(CultureInfo.InvariantCulture, $"h_{h}"));
            if (Fit != ImageFit.Inside) parts.Add("fit_" + Fit.ToString().ToLowerInvariant());
            parts.Add("f_" + Format);
            if (Quality is { } q) parts.Add(string.Create(CultureInfo.InvariantCulture, $"q_{q}"));
            return string.Join(',', parts);
        }
    }

    /// <summary>A width preset (<c>w_{W},f_{format}</c> with W configured) is served without a signature.</summary>
    public bool IsPreset(IReadOnlyList<int> widths) =>
        Width is { } w && widths.Contains(w) && Height is null && Fit == ImageFit.Inside && Quality is null;

    /// <summary>Parses a transform; the error says what is wrong in words a developer can act on.</summary>
    public static bool TryParse(string text, int maxDimension, out ImageTransform? transform, out string? signature, out string? error)
    {
        transform = null;
        signature = null;
        error = null;
        int? width = null, height = null, quality = null;
        ImageFit? fit = null;
        string? format = null;
        var parts = text.Split(',');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            var sep = part.IndexOf('_');
            var (name, value) = sep > 0 ? (part[..sep], part[(sep + 1)..]) : (part, "");
            switch (name)
            {
                case "w" when width is null && Dimension(value, maxDimension) is { } w: width = w; break;
                case "h" when height is null && Dimension(value, maxDimension) is { } h: height = h; break;
                case "q" when quality is null && Number(value) is { } q and >= 1 and <= 100: quality = q; break;
                case "fit" when fit is null && value is "inside" or "cover" or "contain":
                    fit = Enum.Parse<ImageFit>(value, ignoreCase: true);
                    break;
                case "f" when format is null && Formats.Contains(value): format = value; break;
                case "s" when i == parts.Length - 1 && value.Length > 0: signature = value; break;
                default:
                    error = $"'{part}' is not a valid transform part: use w_{{1-{maxDimension}}}, h_{{1-{maxDimension}}}, fit_inside|cover|contain, f_auto|webp|avif|jpeg|png, q_{{1-100}}, then s_{{signature}}, each once.";
                    return false;
            }
        }
        if (format is null) { error = "The transform needs a format: f_auto, f_webp, f_avif, f_jpeg or f_png."; return false; }
        if (width is null && height is null) { error = "The transform needs a width (w_) or a height (h_)."; return false; }
        if (fit is ImageFit.Cover or ImageFit.Contain && (width is null || height is null))
        { error = $"fit_{fit.ToString()!.ToLowerInvariant()} needs both a width and a height."; return false; }
        if (format == "png" && quality is not null) { error = "PNG is lossless: q_ does not apply."; return false; }
        var parsed = new ImageTransform(width, height, fit ?? ImageFit.Inside, format, quality);
        var unsigned = signature is null ? text : text[..text.LastIndexOf(",s_", StringComparison.Ordinal)];
        if (unsigned != parsed.Canonical)
        {
            error = $"Write the transform as '{parsed.Canonical}' (parts in the order w, h, fit, f, q, s; defaults left out).";
            return false;
        }
        transform = parsed;
        return true;
    }

    /// <summary>This transform with the concrete format the request gets (auto: from the Accept header).</summary>
    public ImageTransform Resolve(string? accept, bool hasAlpha)
    {
        if (Format != "auto") return this;
        var chosen = Accepts(accept, "image/avif") ? "avif" : Accepts(accept, "image/webp") ? "webp" : hasAlpha ? "png" : "jpeg";
        return this with { Format = chosen, Quality = chosen == "png" ? null : Quality };
    }

    public static string ContentType(string format) => format switch
    {
        "webp" => "image/webp",
        "avif" => "image/avif",
        "png" => "image/png",
        _ => "image/jpeg",
    };

    public static string Extension(string format) => format == "jpeg" ? "jpg" : format;

    private static bool Accepts(string? accept, string type)
    {
        if (string.IsNullOrEmpty(accept)) return false;
        foreach (var item in accept.Split(',', StringSplitOptions.TrimEntries))
        {
            var fields = item.Split(';', StringSplitOptions.TrimEntries);
            if (!fields[0].Equals(type, StringComparison.OrdinalIgnoreCase)) continue;
            // q=0 means "not acceptable" (RFC 9110 12.4.2).
            var q = fields.Skip(1).FirstOrDefault(f => f.StartsWith("q=", StringComparison.OrdinalIgnoreCase));
            return q is null || !double.TryParse(q[2..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var weight) || weight > 0;
        }
        return false;
    }

    private static int? Number(string value) =>
        value.Length is > 0 and <= 5 && value[0] != '0' && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static int? Dimension(string value, int max) => Number(value) is { } n && n <= max ? n : null;
}
