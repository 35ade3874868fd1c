namespace GenVm.Core.Calldata;

/// <summary>Container bookkeeping for the streaming API: counts and canonical key order (calldata.md §5).</summary>
public sealed partial class CalldataWriter
{
    private struct Frame
    {
        public bool IsMap;
        public bool KeyWritten;
        public int Remaining;

        // The previous key of this map lives in _keyBuffer[KeyBase .. KeyBase + PrevKeyLength]; -1 = no key yet.
        public int KeyBase;
        public int PrevKeyLength;
    }

    private void BeforeValue()
    {
        if (_depth == 0)
        {
            if (_rootWritten)
            {
                throw new InvalidOperationException("a calldata writer holds exactly one root value; call Reset() to start another");
            }

            return;
        }

        ref var top = ref _frames[_depth - 1];
        if (top.IsMap && !top.KeyWritten)
        {
            throw new InvalidOperationException("a map key must be written before its value");
        }
    }

    private void AfterValue()
    {
        while (true)
        {
            if (_depth == 0)
            {
                _rootWritten = true;
                return;
            }

            ref var top = ref _frames[_depth - 1];
            top.KeyWritten = false;
            if (--top.Remaining > 0)
            {
                return;
            }

            // The container got its last element: it closes by itself, and counts as one value of its parent.
            _depth--;
        }
    }

    private void Push(bool isMap, int count)
    {
        if (_depth == _frames.Length)
        {
            Array.Resize(ref _frames, Math.Max(8, _frames.Length * 2));
        }

        var keyBase = 0;
        if (_depth > 0)
        {
            ref var parent = ref _frames[_depth - 1];
            keyBase = parent.KeyBase + Math.Max(0, parent.PrevKeyLength);
        }

        _frames[_depth++] = new Frame { IsMap = isMap, Remaining = count, KeyBase = keyBase, PrevKeyLength = -1 };
    }

    // Returns scratch space right after the previous key of the innermost map for a new key of `length` octets.
    private Span<byte> ReserveKey(int length)
    {
        if (_depth == 0 || !_frames[_depth - 1].IsMap || _frames[_depth - 1].KeyWritten)
        {
            throw new InvalidOperationException("a map key is not expected here");
        }

        ref var top = ref _frames[_depth - 1];
        var start = top.KeyBase + Math.Max(0, top.PrevKeyLength);
        if (_keyBuffer.Length < start + length)
        {
            Array.Resize(ref _keyBuffer, Math.Max(start + length, _keyBuffer.Length * 2));
        }

        return _keyBuffer.AsSpan(start, length);
    }

    // Checks the key placed by ReserveKey against the previous one, emits it and makes it the new previous key.
    private void CommitKey(int length)
    {
        ref var top = ref _frames[_depth - 1];
        var prevLength = Math.Max(0, top.PrevKeyLength);
        var key = _keyBuffer.AsSpan(top.KeyBase + prevLength, length);
        if (top.PrevKeyLength >= 0)
        {
            var prev = _keyBuffer.AsSpan(top.KeyBase, top.PrevKeyLength);
            if (prev.SequenceCompareTo(key) >= 0)
            {
                throw new InvalidOperationException(
                    $"map keys must be written in strictly increasing UTF-8 order (calldata.md §5): `{CalldataUtf8.Strict.GetString(prev)}` then `{CalldataUtf8.Strict.GetString(key)}`");
            }

            key.CopyTo(_keyBuffer.AsSpan(top.KeyBase, length));
            key = _keyBuffer.AsSpan(top.KeyBase, length);
        }

        top.PrevKeyLength = length;
        top.KeyWritten = true;
        var span = _output.GetSpan(10 + length);
        var n = Uleb128.Write(span, (ulong)(uint)length);
        key.CopyTo(span[n..]);
        n += length;
        _output.Advance(n);
        _bytesWritten += n;
    }
}
