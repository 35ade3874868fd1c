using System.Runtime.CompilerServices;

namespace GenVm.Core.Calldata;

/// <summary>Structural equality and hashing with an explicit stack (values may be nested a million levels deep).</summary>
internal static class CalldataEquality
{
    public static bool AreEqual(CalldataValue a, CalldataValue b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a.Kind != b.Kind)
        {
            return false;
        }

        if (a.Kind is not (CalldataKind.Array or CalldataKind.Map))
        {
            return ScalarEqual(a, b);
        }

        var stack = new Stack<(CalldataValue A, CalldataValue B)>();
        stack.Push((a, b));
        while (stack.TryPop(out var pair))
        {
            var (x, y) = pair;
            if (ReferenceEquals(x, y))
            {
                continue;
            }

            if (x.Kind != y.Kind)
            {
                return false;
            }

            switch (x)
            {
                case CalldataArray xa:
                {
                    var ya = (CalldataArray)y;
                    if (xa.Count != ya.Count)
                    {
                        return false;
                    }

                    var xi = xa.Items;
                    var yi = ya.Items;
                    for (var i = xi.Length - 1; i >= 0; i--)
                    {
                        if (!PushOrCompare(stack, xi[i], yi[i]))
                        {
                            return false;
                        }
                    }

                    break;
                }

                case CalldataMap xm:
                {
                    var ym = (CalldataMap)y;
                    if (xm.Count != ym.Count)
                    {
                        return false;
                    }

                    var xk = xm.KeySpan;
                    var yk = ym.KeySpan;
                    var xv = xm.ValueSpan;
                    var yv = ym.ValueSpan;
                    for (var i = xk.Length - 1; i >= 0; i--)
                    {
                        if (!string.Equals(xk[i], yk[i], StringComparison.Ordinal) || !PushOrCompare(stack, xv[i], yv[i]))
                        {
                            return false;
                        }
                    }

                    break;
                }

                default:
                    if (!ScalarEqual(x, y))
                    {
                        return false;
                    }

                    break;
            }
        }

        return true;
    }

    // Compares scalars in place and only pushes containers, which keeps the stack small for flat data.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool PushOrCompare(Stack<(CalldataValue A, CalldataValue B)> stack, CalldataValue x, CalldataValue y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }

        if (x.Kind != y.Kind)
        {
            return false;
        }

        if (x.Kind is CalldataKind.Array or CalldataKind.Map)
        {
            stack.Push((x, y));
            return true;
        }

        return ScalarEqual(x, y);
    }

    private static bool ScalarEqual(CalldataValue x, CalldataValue y) => x switch
    {
        CalldataNull => true,
        CalldataBool b => b.Value == ((CalldataBool)y).Value,
        CalldataNumber n => n.Value == ((CalldataNumber)y).Value,
        CalldataBytes bytes => bytes.Span.SequenceEqual(((CalldataBytes)y).Span),
        CalldataString s => string.Equals(s.Value, ((CalldataString)y).Value, StringComparison.Ordinal),
        CalldataAddress addr => addr.Value == ((CalldataAddress)y).Value,
        _ => throw new InvalidOperationException("unreachable: container compared as scalar"),
    };

    public static int GetHashCode(CalldataValue root)
    {
        var hash = new HashCode();
        var stack = new Stack<CalldataValue>();
        stack.Push(root);
        while (stack.TryPop(out var value))
        {
            hash.Add((byte)value.Kind);
            switch (value)
            {
                case CalldataBool b:
                    hash.Add(b.Value);
                    break;
                case CalldataNumber n:
                    hash.Add(n.Value);
                    break;
                case CalldataBytes bytes:
                    hash.AddBytes(bytes.Span);
                    break;
                case CalldataString s:
                    hash.Add(s.Value, StringComparer.Ordinal);
                    break;
                case CalldataAddress a:
                    hash.Add(a.Value);
                    break;
                case CalldataArray arr:
                    hash.Add(arr.Count);
                    for (var i = arr.Count - 1; i >= 0; i--)
                    {
                        stack.Push(arr[i]);
                    }

                    break;
                case CalldataMap map:
                    hash.Add(map.Count);
                    for (var i = map.Count - 1; i >= 0; i--)
                    {
                        hash.Add(map.GetKey(i), StringComparer.Ordinal);
                        stack.Push(map.GetValue(i));
                    }

                    break;
            }
        }

        return hash.ToHashCode();
    }
}
