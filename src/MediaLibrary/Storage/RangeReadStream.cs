namespace MediaLibrary.Storage;

/// <summary>
/// A seekable read of one remote object of known length: each read after a seek asks the provider for just the
/// bytes from there on, so range requests and conditional GETs never download what they do not send.
/// </summary>
public sealed class RangeReadStream(Func<long, long, CancellationToken, Task<Stream>> openRange, long length) : Stream
{
    private Stream? _body;
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch { SeekOrigin.Begin => offset, SeekOrigin.Current => _position + offset, _ => length + offset };
        if (target != _position)
        {
            _body?.Dispose();
            _body = null;
            _position = target;
        }
        return _position;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (_position >= length || buffer.Length == 0) return 0;
        _body ??= await openRange(_position, length - 1, ct);
        var n = await _body.ReadAsync(buffer, ct);
        _position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _body?.Dispose();
        base.Dispose(disposing);
    }
}
