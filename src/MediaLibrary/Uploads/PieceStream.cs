using System.Security.Cryptography;
using MediaLibrary.Storage;

namespace MediaLibrary.Uploads;

/// <summary>
/// A piece of a resumable upload as it arrives: read from the request body up to the bytes the upload still lacks,
/// each byte added to the upload's hash (and to the piece's own when a checksum was sent). A body that fails part way
/// (the client went away) ends the stream where it failed, so that what arrived can be kept; more bytes than the upload
/// lacks end it too, and say so.
/// </summary>
public sealed class PieceStream(Stream body, long remaining, ResumableSha256 hash, bool checksummed) : ForwardReadStream
{
    private readonly IncrementalHash? _piece = checksummed ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;

    /// <summary>The body failed before its end.</summary>
    public bool Aborted { get; private set; }

    /// <summary>The body held more than the upload lacks.</summary>
    public bool TooLong { get; private set; }

    public bool ChecksumMatches(byte[] expected) => _piece is not null && CryptographicOperations.FixedTimeEquals(_piece.GetCurrentHash(), expected);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (Aborted || TooLong) return 0;
        int read;
        try
        {
            // One byte past what is lacking, to see a body that is too long.
            read = await body.ReadAsync(buffer[..(int)Math.Min(buffer.Length, remaining - BytesRead + 1)], ct);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or Microsoft.AspNetCore.Http.BadHttpRequestException)
        {
            Aborted = true;
            return 0;
        }
        if (BytesRead + read > remaining)
        {
            TooLong = true;
            return 0;
        }
        hash.Append(buffer.Span[..read]);
        _piece?.AppendData(buffer.Span[..read]);
        BytesRead += read;
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _piece?.Dispose();
        base.Dispose(disposing);
    }
}
