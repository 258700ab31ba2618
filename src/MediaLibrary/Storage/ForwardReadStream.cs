namespace MediaLibrary.Storage;

/// <summary>
/// A stream read once, forward and asynchronously, as an upload's bytes are: what such a stream is not (seekable,
/// writable, read synchronously) said once. Derived streams implement <see cref="Stream.ReadAsync(Memory{byte}, CancellationToken)"/>
/// and keep <see cref="Position"/> as the bytes handed on.
/// </summary>
public abstract class ForwardReadStream : Stream
{
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("This stream is read asynchronously.");

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>How many bytes were handed on.</summary>
    public long BytesRead { get; protected set; }
}
