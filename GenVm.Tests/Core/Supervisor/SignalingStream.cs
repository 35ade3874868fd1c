namespace GenVm.Tests.Core.Supervisor;

/// <summary>A write-only memory stream that completes <see cref="FirstWrite"/> when the guest first writes (no sleeps in tests).</summary>
internal sealed class SignalingStream : MemoryStream
{
    private readonly TaskCompletionSource _firstWrite = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes on the first non-empty write.</summary>
    public Task FirstWrite => _firstWrite.Task;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (this)
        {
            // MemoryStream's span overload calls back into the array overload of a derived type: write arrays only.
            base.Write(buffer.ToArray(), 0, buffer.Length);
        }

        if (!buffer.IsEmpty)
        {
            _firstWrite.TrySetResult();
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    /// <summary>Everything written so far, as UTF-8 text.</summary>
    public string Text()
    {
        lock (this)
        {
            return System.Text.Encoding.UTF8.GetString(ToArray());
        }
    }
}
