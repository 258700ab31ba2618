using System.Buffers.Binary;
using System.Text;

namespace MediaLibrary.Media;

/// <summary>
/// Identifies a file from its first bytes (magic numbers and container headers) and, for common image formats,
/// reads the dimensions from the header without decoding pixels. The client's Content-Type is never consulted.
/// </summary>
public static class ContentSniffer
{
    /// <summary>How many leading bytes <see cref="Sniff"/> wants to see (zip directories and EXIF blocks can be long).</summary>
    public const int HeadLength = 64 * 1024;

    public const string Unknown = "application/octet-stream";

    public static SniffResult Sniff(ReadOnlySpan<byte> head, string? fileName = null)
    {
        if (Starts(head, [0xFF, 0xD8, 0xFF])) return Jpeg(head);
        if (Starts(head, [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
            return head.Length >= 24
                ? new("image/png", (int)BinaryPrimitives.ReadUInt32BigEndian(head[16..]), (int)BinaryPrimitives.ReadUInt32BigEndian(head[20..]))
                : new("image/png");
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
            return head.Length >= 10
                ? new("image/gif", BinaryPrimitives.ReadUInt16LittleEndian(head[6..]), BinaryPrimitives.ReadUInt16LittleEndian(head[8..]))
                : new("image/gif");
        if (head.Length >= 12 && head.StartsWith("RIFF"u8))
        {
            var form = head[8..12];
            if (form.SequenceEqual("WEBP"u8)) return WebP(head);
            if (form.SequenceEqual("WAVE"u8)) return new("audio/wav");
            if (form.SequenceEqual("AVI "u8)) return new("video/x-msvideo");
        }
        if (head.StartsWith("BM"u8) && head.Length >= 26 && BinaryPrimitives.ReadUInt32LittleEndian(head[14..]) is 12 or 40 or 52 or 56 or 108 or 124)
            return new("image/bmp", Math.Abs(BinaryPrimitives.ReadInt32LittleEndian(head[18..])), Math.Abs(BinaryPrimitives.ReadInt32LittleEndian(head[22..])));
        if (head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8)) return new("image/tiff");
        if (Starts(head, [0, 0, 1, 0]) && head.Length >= 22 && head[4] > 0 && head[5] == 0)
            return new("image/x-icon", head[6] == 0 ? 256 : head[6], head[7] == 0 ? 256 : head[7]);
        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8)) return IsoMedia(head);
        if (Starts(head, [0x1A, 0x45, 0xDF, 0xA3]))
            return new(head[..Math.Min(head.Length, 64)].IndexOf("webm"u8) >= 0 ? "video/webm" : "video/x-matroska");
        if (head.StartsWith("OggS"u8))
            return new(head[..Math.Min(head.Length, 128)].IndexOf("theora"u8) >= 0 ? "video/ogg" : "audio/ogg");
        if (head.StartsWith("fLaC"u8)) return new("audio/flac");
        if (head.StartsWith("ID3"u8)) return new("audio/mpeg");
        if (head.Length >= 2 && head[0] == 0xFF && (head[1] & 0xF6) == 0xF0) return new("audio/aac");
        if (head.Length >= 2 && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0 && (head[1] & 0x06) != 0) return new("audio/mpeg");
        if (Starts(head, [0, 0, 1, 0xBA]) || Starts(head, [0, 0, 1, 0xB3])) return new("video/mpeg");
        if (head.StartsWith("%PDF-"u8)) return new("application/pdf");
        if (head.StartsWith("PK\x03\x04"u8)) return Zip(head);
        if (Starts(head, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])) return Ole(head);
        if (head.StartsWith(@"{\rtf"u8)) return new("application/rtf");
        return Text(head, fileName);
    }

    private static bool Starts(ReadOnlySpan<byte> head, ReadOnlySpan<byte> magic) => head.StartsWith(magic);

    private static SniffResult Jpeg(ReadOnlySpan<byte> head)
    {
        var i = 2;
        while (i + 9 < head.Length)
        {
            if (head[i] != 0xFF) break;
            var marker = head[i + 1];
            if (marker == 0xFF) { i++; continue; }
            if (marker is 0x01 or >= 0xD0 and <= 0xD8) { i += 2; continue; }
            var length = BinaryPrimitives.ReadUInt16BigEndian(head[(i + 2)..]);
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
                return new("image/jpeg", BinaryPrimitives.ReadUInt16BigEndian(head[(i + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(head[(i + 5)..]));
            if (marker == 0xDA || length < 2) break;
            i += 2 + length;
        }
        return new("image/jpeg");
    }

    private static SniffResult WebP(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 30 && head[12..16].SequenceEqual("VP8 "u8))
            return new("image/webp", BinaryPrimitives.ReadUInt16LittleEndian(head[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(head[28..]) & 0x3FFF);
        if (head.Length >= 25 && head[12..16].SequenceEqual("VP8L"u8))
        {
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(head[21..]);
            return new("image/webp", (int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
        }
        if (head.Length >= 30 && head[12..16].SequenceEqual("VP8X"u8))
            return new("image/webp", (head[24] | head[25] << 8 | head[26] << 16) + 1, (head[27] | head[28] << 8 | head[29] << 16) + 1);
        return new("image/webp");
    }

    private static SniffResult IsoMedia(ReadOnlySpan<byte> head)
    {
        var boxSize = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(head), (uint)head.Length);
        var brands = new List<string>();
        for (var i = 8; i + 4 <= boxSize; i += 4)
            if (i != 12) brands.Add(Encoding.ASCII.GetString(head[i..(i + 4)]));
        bool Has(params string[] names) => brands.Any(b => names.Contains(b, StringComparer.Ordinal));
        var major = brands.Count > 0 ? brands[0] : "";
        if (major is "avif" or "avis") return new("image/avif");
        if (major is "heic" or "heix" or "heim" or "heis" or "hevc" or "hevx") return new("image/heic");
        if (major == "mif1" || major == "msf1") return new(Has("avif", "avis") ? "image/avif" : "image/heif");
        if (major == "qt  ") return new("video/quicktime");
        if (major is "M4A " or "M4B " or "F4A ") return new("audio/mp4");
        if (major.StartsWith("3g", StringComparison.Ordinal)) return new("video/3gpp");
        return new("video/mp4");
    }

    private static SniffResult Zip(ReadOnlySpan<byte> head)
    {
        // OpenDocument stores an uncompressed "mimetype" entry first (ODF 1.2, section 3.3).
        if (head.Length > 38 && head[30..38].SequenceEqual("mimetype"u8))
        {
            var rest = head[38..Math.Min(head.Length, 38 + 80)];
            var end = rest.IndexOf("PK"u8);
            var mime = Encoding.ASCII.GetString(end > 0 ? rest[..end] : rest);
            if (mime.StartsWith("application/vnd.oasis.opendocument.", StringComparison.Ordinal)) return new(mime);
        }
        if (head.IndexOf("[Content_Types].xml"u8) >= 0 || head.IndexOf("_rels/.rels"u8) >= 0)
        {
            if (head.IndexOf("word/"u8) >= 0) return new("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
            if (head.IndexOf("xl/"u8) >= 0) return new("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
            if (head.IndexOf("ppt/"u8) >= 0) return new("application/vnd.openxmlformats-officedocument.presentationml.presentation");
        }
        return new("application/zip");
    }

    private static SniffResult Ole(ReadOnlySpan<byte> head)
    {
        if (head.IndexOf(Encoding.Unicode.GetBytes("WordDocument")) >= 0) return new("application/msword");
        if (head.IndexOf(Encoding.Unicode.GetBytes("Workbook")) >= 0) return new("application/vnd.ms-excel");
        if (head.IndexOf(Encoding.Unicode.GetBytes("PowerPoint Document")) >= 0) return new("application/vnd.ms-powerpoint");
        return new("application/x-ole-storage");
    }

    private static SniffResult Text(ReadOnlySpan<byte> head, string? fileName)
    {
        if (head.IsEmpty) return new(Unknown);
        var body = Starts(head, [0xEF, 0xBB, 0xBF]) ? head[3..] : head;
        // A multi-byte character may be cut at the end of the head; only the part before it must decode.
        var checkable = body.Length == HeadLength ? body[..^4] : body;
        if (!System.Text.Unicode.Utf8.IsValid(checkable)) return new(Unknown);
        foreach (var b in checkable)
            if (b < 0x20 && b is not (byte)'\t' and not (byte)'\n' and not (byte)'\r' and not 0x0C) return new(Unknown);

        var text = Encoding.UTF8.GetString(checkable).TrimStart();
        var lower = text.Length > 4096 ? text[..4096].ToLowerInvariant() : text.ToLowerInvariant();
        if (lower.StartsWith("<!doctype html", StringComparison.Ordinal) || lower.Contains("<html", StringComparison.Ordinal) || lower.Contains("<script", StringComparison.Ordinal) && !lower.Contains("<svg", StringComparison.Ordinal))
            return new("text/html");
        if ((lower.StartsWith('<')) && lower.Contains("<svg", StringComparison.Ordinal)) return new("image/svg+xml");
        if (lower.StartsWith("<?xml", StringComparison.Ordinal)) return new("application/xml");
        if (fileName is not null && fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) return new("text/csv");
        return new("text/plain");
    }
}
