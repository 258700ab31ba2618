using System.Security.Cryptography;
using MediaLibrary.Storage;

namespace MediaLibrary.Media;

/// <summary>
/// Read-only stream over an already-read head plus the rest of a source: computes SHA-256 and the byte count as
/// the bytes flow, and stops with 413 the moment the count passes the limit.
/// </summary>
public sealed class HashingStream(ReadOnlyMemory<byte> head, Func<Memory<byte>, CancellationToken, ValueTask<int>> readRest, long maxBytes) : ForwardReadStream
{
    /// <summary>Over a plain source (a stored object): its read errors stay its own.</summary>
    public HashingStream(Stream source, long maxBytes) : this(ReadOnlyMemory<byte>.Empty, source.ReadAsync, maxBytes)
    {
    }

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private ReadOnlyMemory<byte> _head = head;
    private string? _sha256;


    /// <summary>Lowercase hex SHA-256 of everything read; available once the stream reached its end.</summary>
    public string Sha256 => _sha256 ?? throw new InvalidOperationException("The stream has not been read to its end.");

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        int n;
        if (!_head.IsEmpty)
        {
            n = Math.Min(buffer.Length, _head.Length);
            _head[..n].CopyTo(buffer);
            _head = _head[n..];
        }
        else
        {
            n = await readRest(buffer, ct);
        }
        if (n == 0)
        {
            _sha256 ??= Convert.ToHexStringLower(_hash.GetHashAndReset());
            return 0;
        }
        BytesRead += n;
        if (BytesRead > maxBytes) throw UploadLimits.TooLarge(maxBytes);
        _hash.AppendData(buffer.Span[..n]);
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }
}
