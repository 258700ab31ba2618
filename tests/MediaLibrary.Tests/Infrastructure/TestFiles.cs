using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;

namespace MediaLibrary.Tests.Infrastructure;

public static class TestFiles
{
    /// <summary>A real, decodable RGB PNG of the given size and colour.</summary>
    public static byte[] Png(int width, int height, byte r = 200, byte g = 40, byte b = 40)
    {
        using var raw = new MemoryStream();
        for (var y = 0; y < height; y++)
        {
            raw.WriteByte(0);
            for (var x = 0; x < width; x++) { raw.WriteByte(r); raw.WriteByte(g); raw.WriteByte(b); }
        }
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) raw.WriteTo(z);

        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; ihdr[9] = 2;
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var header = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
        Encoding.ASCII.GetBytes(type, header.AsSpan(4));
        png.Write(header);
        png.Write(data);
        var crc = Crc32(header.AsSpan(4).ToArray().Concat(data).ToArray());
        var crcBytes = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc);
        png.Write(crcBytes);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return crc ^ 0xFFFFFFFFu;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int, int, int), byte[]> Jpegs = new();

    /// <summary>A real, decodable JPEG (a colour gradient, so that renders differ by size), made by libvips.</summary>
    public static byte[] Jpeg(int width, int height, int seed = 0) => Jpegs.GetOrAdd((width, height, seed), key =>
    {
        using var x = NetVips.Image.Xyz(key.Item1, key.Item2);
        using var r = x[0] * (255.0 / Math.Max(1, key.Item1));
        using var g = x[1] * (255.0 / Math.Max(1, key.Item2));
        using var bands = r.Bandjoin(g, r * 0 + key.Item3 * 37 % 256);
        using var image = bands.Cast(NetVips.Enums.BandFormat.Uchar).Copy(interpretation: NetVips.Enums.Interpretation.Srgb);
        return image.JpegsaveBuffer(q: 85);
    }).ToArray();

    /// <summary>A JPEG header (SOI, APP0, SOF0) that names its size; enough for type and dimension sniffing.</summary>
    public static byte[] JpegHeader(int width, int height, int padding = 1000)
    {
        var bytes = new List<byte> { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10 };
        bytes.AddRange("JFIF\0"u8.ToArray());
        bytes.AddRange(new byte[] { 1, 1, 0, 0, 1, 0, 1, 0, 0 });
        bytes.AddRange(new byte[] { 0xFF, 0xC0, 0x00, 0x11, 0x08, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1 });
        bytes.AddRange(new byte[padding]);
        bytes.AddRange(new byte[] { 0xFF, 0xD9 });
        return bytes.ToArray();
    }

    public static byte[] Pdf() => Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    public static byte[] Html() => Encoding.UTF8.GetBytes("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>");

    public static byte[] Svg() => Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>");

    /// <summary>Random bytes of the length that begin as a PDF does: what a large upload's tests send.</summary>
    public static byte[] PdfOf(int length, int seed)
    {
        var file = Random(length, seed);
        "%PDF-1.4\n"u8.CopyTo(file);
        return file;
    }

    public static byte[] Random(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        bytes[0] = 0x00; // never a recognisable magic number by accident
        return bytes;
    }

    public static MultipartFormDataContent Form(byte[]? file, string fileName = "photo.png", string? title = null, string? altText = null,
        string clientContentType = "application/octet-stream")
    {
        var form = new MultipartFormDataContent();
        if (title is not null) form.Add(new StringContent(title), "title");
        if (altText is not null) form.Add(new StringContent(altText), "alt_text");
        if (file is not null)
        {
            var content = new ByteArrayContent(file);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(clientContentType);
            if (fileName.All(c => c is >= ' ' and < (char)127 and not '"' and not '\\'))
            {
                form.Add(content, "file", fileName);
            }
            else
            {
                // HttpClient refuses such names in filename=; browsers send them, so set filename* by hand.
                content.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileNameStar = fileName };
                form.Add(content);
            }
        }
        return form;
    }
}
