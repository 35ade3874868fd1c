namespace GenVm.Core.Pool;

/// <summary>
/// A write-only buffer for one execution's stdout or stderr: keeps the first <c>limit</c> bytes and drops the rest
/// (a guest printing in a loop must not exhaust the process). Thread-safe: validators write concurrently.
/// </summary>
/// <param name="limit">How many bytes are kept.</param>
internal sealed class CaptureStream(int limit) : Stream
{
    private readonly MemoryStream _buffer = new();

    /// <summary>Whether bytes were dropped.</summary>
    public bool Truncated { get; private set; }

    /// <inheritdoc/>
    public override bool CanRead => false;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => true;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>The bytes kept so far.</summary>
    public byte[] ToArray()
    {
        lock (_buffer)
        {
            return _buffer.ToArray();
        }
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_buffer)
        {
            var room = (int)Math.Max(0, limit - _buffer.Length);
            if (buffer.Length > room)
            {
                Truncated = true;
                buffer = buffer[..room];
            }

            _buffer.Write(buffer);
        }
    }

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();
}
