using System.Buffers.Binary;
using System.Numerics;

namespace MediaLibrary.Uploads;

/// <summary>
/// SHA-256 (FIPS 180-4) whose state is saved between requests and restored, so that an upload in pieces is hashed once,
/// as its bytes arrive, and a resumed upload goes on without reading back what it sent before. .NET's own SHA-256 keeps
/// its state to itself, and no package served here offers one that does not. Whole blocks are compressed by libcrypto
/// where it is loaded (<see cref="Sha256Blocks"/>); the managed loop here is the fallback and the reference.
/// </summary>
public sealed class ResumableSha256
{
    private const byte StateVersion = 1;

    private static readonly uint[] K =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    private readonly uint[] _h = InitialState();
    private readonly byte[] _block = new byte[64];
    private int _buffered;

    /// <summary>How many bytes have been hashed.</summary>
    public long Length { get; private set; }

    /// <summary>A state saved by <see cref="Save"/>; throws <see cref="FormatException"/> for anything else.</summary>
    public static ResumableSha256 Restore(ReadOnlySpan<byte> state)
    {
        if (state.Length < 42 || state[0] != StateVersion || state[41] > 63 || state.Length != 42 + state[41])
            throw new FormatException("Not a saved SHA-256 state.");
        var hash = new ResumableSha256();
        for (var i = 0; i < 8; i++) hash._h[i] = BinaryPrimitives.ReadUInt32BigEndian(state[(1 + 4 * i)..]);
        hash.Length = BinaryPrimitives.ReadInt64BigEndian(state[33..]);
        hash._buffered = state[41];
        if (hash.Length < 0 || hash.Length % 64 != hash._buffered) throw new FormatException("Not a saved SHA-256 state.");
        state.Slice(42, hash._buffered).CopyTo(hash._block);
        return hash;
    }

    /// <summary>The state: the eight words, the length so far and the bytes of an unfinished block (at most 105 bytes).</summary>
    public byte[] Save()
    {
        var state = new byte[42 + _buffered];
        state[0] = StateVersion;
        for (var i = 0; i < 8; i++) BinaryPrimitives.WriteUInt32BigEndian(state.AsSpan(1 + 4 * i), _h[i]);
        BinaryPrimitives.WriteInt64BigEndian(state.AsSpan(33), Length);
        state[41] = (byte)_buffered;
        _block.AsSpan(0, _buffered).CopyTo(state.AsSpan(42));
        return state;
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        Length += data.Length;
        if (_buffered > 0)
        {
            var take = Math.Min(64 - _buffered, data.Length);
            data[..take].CopyTo(_block.AsSpan(_buffered));
            _buffered += take;
            data = data[take..];
            if (_buffered < 64) return;
            Compress(_h, _block);
            _buffered = 0;
        }
        var whole = data.Length & ~63;
        if (whole > 0)
        {
            Compress(_h, data[..whole]);
            data = data[whole..];
        }
        data.CopyTo(_block);
        _buffered = data.Length;
    }

    /// <summary>The digest of everything appended, in lower-case hex; the state is left as it was.</summary>
    public string HexDigest()
    {
        var copy = Restore(Save());
        var bits = (ulong)Length * 8;
        Span<byte> padding = stackalloc byte[72];
        padding.Clear();
        padding[0] = 0x80;
        var padLength = (_buffered < 56 ? 56 : 120) - _buffered;
        BinaryPrimitives.WriteUInt64BigEndian(padding[padLength..], bits);
        copy.Append(padding[..(padLength + 8)]);
        Span<byte> digest = stackalloc byte[32];
        for (var i = 0; i < 8; i++) BinaryPrimitives.WriteUInt32BigEndian(digest[(4 * i)..], copy._h[i]);
        return Convert.ToHexStringLower(digest);
    }

    internal static uint[] InitialState() =>
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

    /// <summary>The managed compression of whole blocks (a multiple of 64 bytes).</summary>
    internal static void CompressManaged(Span<uint> state, ReadOnlySpan<byte> blocks)
    {
        Span<uint> w = stackalloc uint[64];
        for (; blocks.Length >= 64; blocks = blocks[64..])
        {
            for (var i = 0; i < 16; i++) w[i] = BinaryPrimitives.ReadUInt32BigEndian(blocks[(4 * i)..]);
            for (var i = 16; i < 64; i++)
            {
                var s0 = BitOperations.RotateRight(w[i - 15], 7) ^ BitOperations.RotateRight(w[i - 15], 18) ^ (w[i - 15] >> 3);
                var s1 = BitOperations.RotateRight(w[i - 2], 17) ^ BitOperations.RotateRight(w[i - 2], 19) ^ (w[i - 2] >> 10);
                w[i] = w[i - 16] + s0 + w[i - 7] + s1;
            }
            uint a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
            for (var i = 0; i < 64; i++)
            {
                var t1 = h + (BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25))
                    + ((e & f) ^ (~e & g)) + K[i] + w[i];
                var t2 = (BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22))
                    + ((a & b) ^ (a & c) ^ (b & c));
                (h, g, f, e, d, c, b, a) = (g, f, e, d + t1, c, b, a, t1 + t2);
            }
            state[0] += a; state[1] += b; state[2] += c; state[3] += d; state[4] += e; state[5] += f; state[6] += g; state[7] += h;
        }
    }

    private static void Compress(Span<uint> state, ReadOnlySpan<byte> blocks)
    {
        if (Sha256Blocks.Available) Sha256Blocks.Compress(state, blocks);
        else CompressManaged(state, blocks);
    }
}
