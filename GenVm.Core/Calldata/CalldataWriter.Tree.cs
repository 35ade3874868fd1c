namespace GenVm.Core.Calldata;

/// <summary>Encoding of a whole <see cref="CalldataValue"/> with an explicit stack (no recursion, any depth).</summary>
public sealed partial class CalldataWriter
{
    private struct TreeFrame
    {
        public CalldataValue Container;
        public int Next;
    }

    private void WriteTree(CalldataValue value)
    {
        var sp = 0;
        var maxSp = 0;
        try
        {
            while (true)
            {
                switch (value)
                {
                    case CalldataNumber n:
                        WriteNumberCore(n.Value);
                        break;
                    case CalldataString s:
                        WriteText(s.Value, isKey: false);
                        break;
                    case CalldataBytes b:
                        WriteBlob(b.Span, CalldataTag.Bytes);
                        break;
                    case CalldataMap m:
                        WriteUleb(((ulong)(uint)m.Count << 3) | CalldataTag.Map);
                        if (m.Count > 0)
                        {
                            PushTree(ref sp, ref maxSp, m);
                        }

                        break;
                    case CalldataArray a:
                        WriteUleb(((ulong)(uint)a.Count << 3) | CalldataTag.Array);
                        if (a.Count > 0)
                        {
                            PushTree(ref sp, ref maxSp, a);
                        }

                        break;
                    case CalldataBool bo:
                        WriteByte(bo.Value ? CalldataTag.TrueByte : CalldataTag.FalseByte);
                        break;
                    case CalldataAddress ad:
                        WriteAddressCore(ad.Value);
                        break;
                    default:
                        WriteByte(CalldataTag.NullByte);
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
                            WriteText(map.GetKey(top.Next), isKey: true);
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
            // Drop references so a long-lived writer does not keep encoded values alive.
            if (maxSp > 0)
            {
                Array.Clear(_tree, 0, maxSp);
            }
        }
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
