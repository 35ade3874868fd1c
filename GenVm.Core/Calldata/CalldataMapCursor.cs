namespace GenVm.Core.Calldata;

/// <summary>
/// State of a map being read entry by entry with <see cref="CalldataReader.ReadStartMap"/> and
/// <see cref="CalldataReader.ReadMapKey"/>: it remembers where the previous key was so that every key is checked to
/// be strictly greater in UTF-8 order (calldata.md §5). Use it only with the reader that created it.
/// </summary>
public struct CalldataMapCursor
{
    // Previous key as a slice of the reader's input; _prevStartPlusOne == 0 means "no key read yet", so the default
    // value is a valid "nothing read" state.
    private int _prevStartPlusOne;
    private int _prevLength;

    internal CalldataMapCursor(int count)
    {
        Count = count;
        Remaining = count;
    }

    /// <summary>The number of entries the map declared.</summary>
    public int Count { get; }

    /// <summary>The number of keys not read yet.</summary>
    public int Remaining { get; private set; }

    internal readonly bool TryGetPrevious(out int start, out int length)
    {
        start = _prevStartPlusOne - 1;
        length = _prevLength;
        return _prevStartPlusOne != 0;
    }

    internal void Advance(int keyStart, int keyLength)
    {
        _prevStartPlusOne = keyStart + 1;
        _prevLength = keyLength;
        Remaining--;
    }
}
