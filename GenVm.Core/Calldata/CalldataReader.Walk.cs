using System.Text;

namespace GenVm.Core.Calldata;

/// <summary>The iterative decoding engine behind <see cref="ReadValue"/> and <see cref="SkipValue"/>.</summary>
public ref partial struct CalldataReader
{
    private struct WalkFrame
    {
        public bool IsMap;
        public int Count;
        public int Filled;
        public CalldataValue[]? Items;
        public string[]? Keys;

        // Previous map key as a slice of the input (-1 = none yet), compared as octets (calldata.md §5).
        public int PrevKeyStart;
        public int PrevKeyLength;
    }

    // Recently seen map keys, as slices of the input: records repeat the same field names, and reusing the string
    // saves an allocation and a transcode per entry.
    private struct KeyCacheEntry
    {
        public int Start;
        public int Length;
        public string? Value;
    }

    private const int KeyCacheSize = 32;
    private const int MaxCachedKeyLength = 64;

    // Decodes one value starting at `start` without touching _position; returns the end offset.
    private readonly int Walk(int start, bool build, out CalldataValue? result)
    {
        var pos = start;
        WalkFrame[]? frames = null;
        KeyCacheEntry[]? keyCache = null;
        var depth = 0;
        while (true)
        {
            CalldataValue? value = null;

            if (depth > 0 && frames![depth - 1].IsMap)
            {
                pos = ReadKey(ref frames[depth - 1], pos, build, ref keyCache);
            }

            var headerStart = pos;
            var h = ReadHeader(pos);
            pos += h.Length;
            switch (h.Tag)
            {
                case CalldataTag.Special:
                    switch (h.Payload)
                    {
                        case 0:
                            value = CalldataValue.Null;
                            break;
                        case 1:
                            value = CalldataBool.FalseValue;
                            break;
                        case 2:
                            value = CalldataBool.TrueValue;
                            break;
                        default:
                        {
                            var body = AddressBody(pos, headerStart);
                            pos += Address.Length;
                            if (build)
                            {
                                value = new CalldataAddress(new Address(body));
                            }

                            break;
                        }
                    }

                    break;

                case CalldataTag.PositiveInt or CalldataTag.NegativeInt:
                    if (build)
                    {
                        // calldata.md §3.2; P < 2^61 here unless Big, so the long arithmetic cannot overflow.
                        value = h.Big
                            ? new CalldataNumber(NumberOf(h, headerStart))
                            : CalldataNumber.Get(h.Tag == CalldataTag.PositiveInt ? (long)h.Payload : -(long)h.Payload - 1);
                    }

                    break;

                case CalldataTag.Bytes:
                {
                    var body = SizedBody(h, headerStart);
                    pos += body.Length;
                    if (build)
                    {
                        value = body.IsEmpty ? CalldataBytes.Empty : new CalldataBytes(body.ToArray());
                    }

                    break;
                }

                case CalldataTag.Str:
                {
                    var body = SizedBody(h, headerStart);
                    CheckUtf8(body, headerStart);
                    pos += body.Length;
                    if (build)
                    {
                        value = body.IsEmpty ? CalldataString.Empty : new CalldataString(Encoding.UTF8.GetString(body), trusted: true);
                    }

                    break;
                }

                default:
                {
                    // ARR or MAP. The count is not compared with the remaining input here: the reference decodes
                    // element by element and fails where the input runs out, and we report the same error. Every
                    // element takes at least one octet, so capping the allocation at the remaining length is safe.
                    var isMap = h.Tag == CalldataTag.Map;
                    var count = (int)Math.Min(h.Payload, int.MaxValue);
                    if (h.Payload == 0)
                    {
                        if (build)
                        {
                            value = isMap ? CalldataMap.Empty : CalldataArray.Empty;
                        }

                        break;
                    }

                    frames ??= new WalkFrame[8];
                    if (depth == frames.Length)
                    {
                        Array.Resize(ref frames, frames.Length * 2);
                    }

                    // Payload <= 2^32-1 (checked in ReadHeader); a span never holds more than int.MaxValue elements.
                    var capacity = (int)Math.Min(h.Payload, (ulong)(_data.Length - pos));
                    frames[depth++] = new WalkFrame
                    {
                        IsMap = isMap,
                        Count = count,
                        Items = build ? new CalldataValue[capacity] : null,
                        Keys = build && isMap ? new string[capacity] : null,
                        PrevKeyStart = -1,
                    };
                    continue;
                }
            }

            // Hand the finished value to its container; containers that become full finish in turn.
            while (true)
            {
                if (depth == 0)
                {
                    result = value;
                    return pos;
                }

                ref var top = ref frames![depth - 1];
                if (build)
                {
                    top.Items![top.Filled] = value!;
                }

                if (++top.Filled < top.Count)
                {
                    break;
                }

                if (build)
                {
                    value = top.IsMap
                        ? new CalldataMap(top.Keys!, top.Items!)
                        : new CalldataArray(top.Items!);
                }

                top = default;
                depth--;
            }
        }
    }

    // Reads one map key (calldata.md §3.5: bare ULEB length, UTF-8 octets) and checks strict UTF-8 order (§5).
    private readonly int ReadKey(ref WalkFrame frame, int pos, bool build, ref KeyCacheEntry[]? keyCache)
    {
        var keyStart = pos;
        var status = Uleb128.TryRead(_data, pos, out var length, out var ulebLength);
        ThrowIfBadUleb(status, keyStart);
        var bits = Uleb128.BitLength(_data.Slice(pos, ulebLength));
        if (bits > 32)
        {
            throw Error($"container size is too large {bits}>32", keyStart);
        }

        pos += ulebLength;
        if (length > (ulong)(_data.Length - pos))
        {
            throw Error("invalid size", keyStart);
        }

        var key = _data.Slice(pos, (int)length);
        CheckUtf8(key, keyStart);
        if (frame.PrevKeyStart >= 0)
        {
            var prev = _data.Slice(frame.PrevKeyStart, frame.PrevKeyLength);
            if (prev.SequenceCompareTo(key) >= 0)
            {
                throw Error(
                    $"invalid calldata map ordering old=`{Encoding.UTF8.GetString(prev)}` new=`{Encoding.UTF8.GetString(key)}`",
                    keyStart);
            }
        }

        frame.PrevKeyStart = pos;
        frame.PrevKeyLength = key.Length;
        if (build)
        {
            frame.Keys![frame.Filled] = KeyString(key, pos, ref keyCache);
        }

        return pos + key.Length;
    }

    private readonly string KeyString(ReadOnlySpan<byte> key, int start, ref KeyCacheEntry[]? keyCache)
    {
        if (key.IsEmpty)
        {
            return string.Empty;
        }

        if (key.Length > MaxCachedKeyLength)
        {
            return Encoding.UTF8.GetString(key);
        }

        keyCache ??= new KeyCacheEntry[KeyCacheSize];
        var slot = ((key.Length * 31) ^ (key[0] * 7) ^ (key[^1] * 131)) & (KeyCacheSize - 1);
        ref var entry = ref keyCache[slot];
        if (entry.Value is not null && entry.Length == key.Length && _data.Slice(entry.Start, entry.Length).SequenceEqual(key))
        {
            return entry.Value;
        }

        var value = Encoding.UTF8.GetString(key);
        entry = new KeyCacheEntry { Start = start, Length = key.Length, Value = value };
        return value;
    }
}
