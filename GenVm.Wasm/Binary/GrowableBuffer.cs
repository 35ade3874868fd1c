namespace GenVm.Wasm.Binary;

/// <summary>
/// The append-only byte buffer behind the engine's binary writers (<see cref="MetadataWriter"/>,
/// <see cref="Snapshots.SnapshotWriter"/>): callers reserve a span, fill it, and take the written bytes at the end.
/// It doubles when full, so appends are amortised O(1).
/// </summary>
internal sealed class GrowableBuffer(int initialCapacity)
{
    private byte[] _buffer = new byte[initialCapacity];

    /// <summary>Bytes written so far.</summary>
    public int Length { get; private set; }

    /// <summary>The next <paramref name="count"/> bytes of the buffer, counted as written (the caller fills them).</summary>
    public Span<byte> Reserve(int count)
    {
        if (_buffer.Length - Length < count)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + count));
        }

        var span = _buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }

    /// <summary>A copy of everything written.</summary>
    public byte[] Encode() => _buffer.AsSpan(0, Length).ToArray();

    /// <summary>Copies everything written to <paramref name="destination"/> when it is large enough.</summary>
    public bool TryEncode(Span<byte> destination, out int bytesWritten)
    {
        if (destination.Length < Length)
        {
            bytesWritten = 0;
            return false;
        }

        _buffer.AsSpan(0, Length).CopyTo(destination);
        bytesWritten = Length;
        return true;
    }

    /// <summary>Forgets everything written.</summary>
    public void Reset() => Length = 0;
}
