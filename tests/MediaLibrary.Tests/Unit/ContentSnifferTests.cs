using System.IO.Compression;
using System.Text;
using MediaLibrary.Media;
using MediaLibrary.Tests.Infrastructure;

namespace MediaLibrary.Tests.Unit;

public sealed class ContentSnifferTests
{
    private static byte[] B(params int[] bytes) => bytes.Select(b => (byte)b).ToArray();
    private static byte[] A(string ascii) => Encoding.ASCII.GetBytes(ascii);
    private static byte[] Cat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public static TheoryData<string, byte[], string> Files => new()
    {
        { "png", TestFiles.Png(3, 2), "image/png" },
        { "jpeg", TestFiles.JpegHeader(4, 5), "image/jpeg" },
        { "gif", Cat(A("GIF89a"), B(7, 0, 9, 0), new byte[20]), "image/gif" },
        { "webp lossy", Cat(A("RIFF"), B(0, 0, 0, 0), A("WEBPVP8 "), new byte[30]), "image/webp" },
        { "bmp", Cat(A("BM"), new byte[12], B(40, 0, 0, 0), B(3, 0, 0, 0), B(2, 0, 0, 0), new byte[20]), "image/bmp" },
        { "tiff", Cat(A("II*\0"), new byte[20]), "image/tiff" },
        { "avif", Cat(B(0, 0, 0, 0x1C), A("ftypavif"), B(0, 0, 0, 0), A("avifmif1miaf"), new byte[8]), "image/avif" },
        { "heic", Cat(B(0, 0, 0, 0x18), A("ftypheic"), B(0, 0, 0, 0), A("mif1heic"), new byte[8]), "image/heic" },
        { "mp4", Cat(B(0, 0, 0, 0x18), A("ftypisom"), B(0, 0, 2, 0), A("isomiso2"), new byte[8]), "video/mp4" },
        { "mov", Cat(B(0, 0, 0, 0x14), A("ftypqt  "), B(0, 0, 2, 0), A("qt  "), new byte[8]), "video/quicktime" },
        { "m4a", Cat(B(0, 0, 0, 0x18), A("ftypM4A "), B(0, 0, 2, 0), A("M4A mp42"), new byte[8]), "audio/mp4" },
        { "webm", Cat(B(0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 1, 0x42, 0x82, 0x84), A("webm"), new byte[20]), "video/webm" },
        { "mkv", Cat(B(0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 1, 0x42, 0x82, 0x88), A("matroska"), new byte[20]), "video/x-matroska" },
        { "avi", Cat(A("RIFF"), B(0, 0, 0, 0), A("AVI LIST"), new byte[20]), "video/x-msvideo" },
        { "wav", Cat(A("RIFF"), B(0, 0, 0, 0), A("WAVEfmt "), new byte[20]), "audio/wav" },
        { "ogg vorbis", Cat(A("OggS"), new byte[24], A("\u0001vorbis"), new byte[20]), "audio/ogg" },
        { "flac", Cat(A("fLaC"), new byte[30]), "audio/flac" },
        { "mp3 with id3", Cat(A("ID3"), B(4, 0, 0), new byte[30]), "audio/mpeg" },
        { "mp3 frame", Cat(B(0xFF, 0xFB, 0x90, 0x64), new byte[30]), "audio/mpeg" },
        { "aac adts", Cat(B(0xFF, 0xF1, 0x50, 0x80), new byte[30]), "audio/aac" },
        { "pdf", TestFiles.Pdf(), "application/pdf" },
        { "rtf", A(@"{\rtf1\ansi hello}"), "application/rtf" },
        { "docx", Zip("[Content_Types].xml", "_rels/.rels", "word/document.xml"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
        { "xlsx", Zip("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
        { "pptx", Zip("[Content_Types].xml", "_rels/.rels", "ppt/presentation.xml"), "application/vnd.openxmlformats-officedocument.presentationml.presentation" },
        { "odt", OpenDocument("application/vnd.oasis.opendocument.text"), "application/vnd.oasis.opendocument.text" },
        { "plain zip", Zip("a.txt"), "application/zip" },
        { "legacy doc", Cat(B(0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1), new byte[500], Encoding.Unicode.GetBytes("WordDocument")), "application/msword" },
        { "svg", TestFiles.Svg(), "image/svg+xml" },
        { "svg with prolog", Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?>\n<!-- c -->\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), "image/svg+xml" },
        { "html", TestFiles.Html(), "text/html" },
        { "html fragment", Encoding.UTF8.GetBytes("hello <script>alert(1)</script>"), "text/html" },
        { "text", Encoding.UTF8.GetBytes("Plain words, ünïcode too.\nSecond line."), "text/plain" },
        { "binary", TestFiles.Random(4000), "application/octet-stream" },
        { "control bytes", B(0x41, 0x42, 0x01, 0x02), "application/octet-stream" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Sniff_RecognisesTheFormatFromItsBytes(string name, byte[] bytes, string expected)
    {
        Assert.True(expected == ContentSniffer.Sniff(bytes).ContentType, $"{name}: got {ContentSniffer.Sniff(bytes).ContentType}");
    }

    [Fact]
    public void Sniff_TextNamedCsv_IsCsv_ButTheNameNeverMakesBinaryText()
    {
        Assert.Equal("text/csv", ContentSniffer.Sniff(Encoding.UTF8.GetBytes("a,b\n1,2\n"), "data.csv").ContentType);
        Assert.Equal("application/octet-stream", ContentSniffer.Sniff(TestFiles.Random(100), "data.csv").ContentType);
        Assert.Equal("image/png", ContentSniffer.Sniff(TestFiles.Png(1, 1), "photo.pdf").ContentType);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1600, 1200)]
    [InlineData(65535, 3)]
    public void Sniff_ReadsImageDimensionsFromHeaders(int width, int height)
    {
        Assert.Equal(new SniffResult("image/jpeg", width, height), ContentSniffer.Sniff(TestFiles.JpegHeader(width, height)));
        var gif = Cat(A("GIF89a"), B(width & 0xFF, width >> 8, height & 0xFF, height >> 8), new byte[10]);
        Assert.Equal(new SniffResult("image/gif", width, height), ContentSniffer.Sniff(gif));
        var vp8x = Cat(A("RIFF"), B(0, 0, 0, 0), A("WEBPVP8X"), B(10, 0, 0, 0, 0, 0, 0, 0),
            B((width - 1) & 0xFF, ((width - 1) >> 8) & 0xFF, (width - 1) >> 16, (height - 1) & 0xFF, ((height - 1) >> 8) & 0xFF, (height - 1) >> 16));
        Assert.Equal(new SniffResult("image/webp", width, height), ContentSniffer.Sniff(vp8x));
    }

    [Fact]
    public void Sniff_JpegWithLargeExifBeforeTheFrame_StillFindsTheSize()
    {
        var exif = Cat(B(0xFF, 0xE1, 0x7F, 0xFF), new byte[0x7FFD]);
        var jpeg = TestFiles.JpegHeader(800, 600);
        var withExif = Cat(jpeg[..2], exif, jpeg[2..]);
        Assert.Equal(new SniffResult("image/jpeg", 800, 600), ContentSniffer.Sniff(withExif));
    }

    [Fact]
    public void Sniff_TruncatedHeaders_DoNotThrow()
    {
        foreach (var bytes in Files.Select(row => row.Data.Item2))
            for (var n = 0; n < Math.Min(bytes.Length, 64); n++)
                _ = ContentSniffer.Sniff(bytes.AsSpan(0, n));
    }

    private static byte[] Zip(params string[] names)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var name in names)
                using (var w = new StreamWriter(zip.CreateEntry(name).Open())) w.Write("<x/>");
        return ms.ToArray();
    }

    private static byte[] OpenDocument(string mime)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var w = new StreamWriter(zip.CreateEntry("mimetype", CompressionLevel.NoCompression).Open())) w.Write(mime);
            using (var w = new StreamWriter(zip.CreateEntry("content.xml").Open())) w.Write("<x/>");
        }
        return ms.ToArray();
    }
}
