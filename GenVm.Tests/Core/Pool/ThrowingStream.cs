namespace GenVm.Tests.Core.Pool;

/// <summary>An output stream whose writes fail with an unexpected exception (an injected failure in a host callback).</summary>
internal sealed class ThrowingStream : Stream
{
    public const string Text = "injected failure in fd_write";

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException(Text);

    public override void Write(ReadOnlySpan<byte> buffer) => throw new InvalidOperationException(Text);

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
