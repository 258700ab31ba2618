using System.Runtime.InteropServices;

namespace MediaLibrary.Uploads;

/// <summary>
/// The SHA-256 compression of whole blocks by OpenSSL's libcrypto, which .NET itself uses on Linux and which runs the
/// processor's SHA instructions: about eight times the managed loop. Only the eight state words cross over, so the
/// state <see cref="ResumableSha256"/> saves stays its own. Where libcrypto cannot be loaded, or answers other than the
/// managed loop on a probe block, <see cref="Available"/> is false and the managed loop does all the work.
/// </summary>
internal static class Sha256Blocks
{
    private const string LibCrypto = "libcrypto.so.3";

    // OpenSSL's SHA256_CTX: h[8], Nl, Nh, data[16], num, md_len, all 32-bit words.
    private const int ContextWords = 28;

    /// <summary>Whether <see cref="Compress"/> may be called.</summary>
    public static bool Available { get; } = Probe();

    /// <summary>Runs the compression over <paramref name="blocks"/> (a multiple of 64 bytes), updating <paramref name="h"/>.</summary>
    public static void Compress(Span<uint> h, ReadOnlySpan<byte> blocks)
    {
        Span<uint> context = stackalloc uint[ContextWords];
        if (SHA256_Init(ref context[0]) != 1) throw new InvalidOperationException("SHA256_Init failed.");
        h.CopyTo(context);
        if (SHA256_Update(ref context[0], ref MemoryMarshal.GetReference(blocks), (nuint)blocks.Length) != 1)
            throw new InvalidOperationException("SHA256_Update failed.");
        context[..8].CopyTo(h);
    }

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            var block = new byte[128];
            for (var i = 0; i < block.Length; i++) block[i] = (byte)(i * 7 + 3);
            var native = ResumableSha256.InitialState();
            Compress(native, block);
            var managed = ResumableSha256.InitialState();
            ResumableSha256.CompressManaged(managed, block);
            return native.AsSpan().SequenceEqual(managed);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException
                                      or InvalidOperationException)
        {
            return false;
        }
    }

    // DllImport rather than LibraryImport, which would need unsafe code for two calls whose arguments are all blittable.
    [DllImport(LibCrypto, ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SHA256_Init(ref uint context);

    [DllImport(LibCrypto, ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SHA256_Update(ref uint context, ref byte data, nuint length);
}
