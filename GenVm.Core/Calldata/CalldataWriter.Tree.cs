using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace GenVm.Core.Calldata;

/// <summary>
/// Encoding of a whole <see cref="CalldataValue"/> with an explicit stack (no recursion, any depth). Writes go into
/// a span chunk of the output that is committed only when it runs out, so the hot loop makes no interface calls.
/// </summary>
public sealed partial class CalldataWriter
{
    private const int ChunkSize = 4096;

    private struct TreeFrame
    {
        public CalldataValue Container;
        public int Next;
    }

    private ref struct Sink
    {
        private readonly IBufferWriter<byte> _output;
        private Span<byte> _span;
        private int _used;

        public Sink(IBufferWriter<byte> output)
        {
            _output = output;
            _span = default;
            _used = 0;
            Total = 0;
        }

        public int Total { get; private set; }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Span<byte> Reserve(int length)
        {
            if (_span.Length - _used < length)
            {
                Refill(length);
            }

            return _span[_used..];
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Commit(int length) => _used += length;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void WriteByte(byte value)
        {
            if (_used == _span.Length)
            {
                Refill(1);
            }

            _span[_used++] = value;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void WriteUleb(ulong value)
        {
            if (value < 0x80 && _used < _span.Length)
            {
                _span[_used++] = (byte)value;
                return;
            }

            var span = Reserve(10); // may start a new chunk, so read _used only afterwards
            _used += Uleb128.Write(span, value);
        }

        public void Flush()
        {
            if (_used > 0)
            {
                _output.Advance(_used);
                Total += _used;
            }

            _used = 0;
            _span = default;
        }

        private void Refill(int length)
        {
            Flush();
            _span = _output.GetSpan(Math.Max(length, ChunkSize));
        }
    }

    private void WriteTree(CalldataValue value)
    {
        var sink = new Sink(_output);
        var sp = 0;
        var maxSp = 0;
        try
        {
            while (true)
            {
                switch (value.Kind)
                {
                    case CalldataKind.Number:
                        WriteNumber(ref sink, ((CalldataNumber)value).Value);
                        break;
                    case CalldataKind.Str:
                        WriteText(ref sink, ((CalldataString)value).Value, isKey: false);
                        break;
                    case CalldataKind.Bytes:
                    {
                        var bytes = ((CalldataBytes)value).Span;
                        var span = sink.Reserve(10 + bytes.Length);
                        var n = Uleb128.Write(span, ((ulong)(uint)bytes.Length << 3) | CalldataTag.Bytes);
                        bytes.CopyTo(span[n..]);
                        sink.Commit(n + bytes.Length);
                        break;
                    }

                    case CalldataKind.Map:
                    {
                        var m = (CalldataMap)value;
                        sink.WriteUleb(((ulong)(uint)m.Count << 3) | CalldataTag.Map);
                        if (m.Count > 0)
                        {
                            PushTree(ref sp, ref maxSp, m);
                        }

                        break;
                    }

                    case CalldataKind.Array:
                    {
                        var a = (CalldataArray)value;
                        sink.WriteUleb(((ulong)(uint)a.Count << 3) | CalldataTag.Array);
                        if (a.Count > 0)
                        {
                            PushTree(ref sp, ref maxSp, a);
                        }

                        break;
                    }

                    case CalldataKind.Bool:
                        sink.WriteByte(((CalldataBool)value).Value ? CalldataTag.TrueByte : CalldataTag.FalseByte);
                        break;
                    case CalldataKind.Address:
                    {
                        var span = sink.Reserve(1 + Address.Length);
                        span[0] = CalldataTag.AddressByte;
                        ((CalldataAddress)value).Value.CopyTo(span[1..]);
                        sink.Commit(1 + Address.Length);
                        break;
                    }

                    default:
                        sink.WriteByte(CalldataTag.NullByte);
                        break;
                }

                // Find the next value to write: the next child of the innermost unfinished container.
                CalldataValue? next = null;
                while (sp > 0)
                {
                    ref var top = ref _tree[sp - 1];
                    if (top.Container is CalldataArray arr)
                    {
                        if (top.Next < arr.Count)
                        {
                            next = arr[top.Next++];
                            break;
                        }
                    }
                    else
                    {
                        var map = (CalldataMap)top.Container;
                        if (top.Next < map.Count)
                        {
                            // calldata.md §3.5: bare key length, key octets, then the value.
                            WriteText(ref sink, map.GetKey(top.Next), isKey: true);
                            next = map.GetValue(top.Next++);
                            break;
                        }
                    }

                    top.Container = null!;
                    sp--;
                }

                if (next is null)
                {
                    return;
                }

                value = next;
            }
        }
        finally
        {
            sink.Flush();
            _bytesWritten += sink.Total;

            // Drop references so a long-lived writer does not keep encoded values alive.
            if (maxSp > 0)
            {
                Array.Clear(_tree, 0, maxSp);
            }
        }
    }

    private static void WriteText(ref Sink sink, string value, bool isKey)
    {
        // A map key carries a bare length (calldata.md §3.5), a string a STR header (§3.3).
        var length = value.Length <= 32 && Ascii.IsValid(value) ? value.Length : Encoding.UTF8.GetByteCount(value);
        var header = isKey ? (ulong)(uint)length : ((ulong)(uint)length << 3) | CalldataTag.Str;
        var span = sink.Reserve(10 + length);
        var n = Uleb128.Write(span, header);
        n += Encoding.UTF8.GetBytes(value, span[n..]);
        sink.Commit(n);
    }

    private static void WriteNumber(ref Sink sink, in BigInteger value)
    {
        // calldata.md §3.2: n >= 0 -> (n << 3) | 1, n < 0 -> ((-n - 1) << 3) | 2; ~n == -n - 1.
        if (value >= long.MinValue && value <= long.MaxValue)
        {
            var small = (long)value;
            var h = small >= 0
                ? ((UInt128)(ulong)small << 3) | CalldataTag.PositiveInt
                : ((UInt128)(ulong)~small << 3) | CalldataTag.NegativeInt;
            if (h < 0x80)
            {
                sink.WriteByte((byte)h);
            }
            else
            {
                sink.Commit(Uleb128.Write(sink.Reserve(Uleb128.MaxUInt128Length), h));
            }

            return;
        }

        var negative = value.Sign < 0;
        var magnitude = negative ? -(value + BigInteger.One) : value;
        var groups = (int)((magnitude.GetBitLength() + 3 + 6) / 7);
        WriteBigHeader(magnitude, negative ? CalldataTag.NegativeInt : CalldataTag.PositiveInt, sink.Reserve(groups));
        sink.Commit(groups);
    }

    private void PushTree(ref int sp, ref int maxSp, CalldataValue container)
    {
        if (sp == _tree.Length)
        {
            Array.Resize(ref _tree, Math.Max(16, _tree.Length * 2));
        }

        _tree[sp++] = new TreeFrame { Container = container, Next = 0 };
        if (sp > maxSp)
        {
            maxSp = sp;
        }
    }
}
