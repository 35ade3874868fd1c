using System.Globalization;
using System.Text;

namespace GenVm.Core.Calldata;

/// <summary>
/// Renders values as text with an explicit stack (no recursion). Two styles share the skeleton:
/// the lossless hand-writing form (<see cref="CalldataText"/>) and the executor's debug/log form (calldata.md §9.2).
/// </summary>
internal static class CalldataTextPrinter
{
    // calldata.md §9.2: bytes longer than 64 are shown as first 32, "...", last 32.
    private const int DebugBytesLimit = 64;
    private const int DebugBytesEdge = 32;

    public static string Print(CalldataValue root, bool debug)
    {
        var sb = new StringBuilder();
        Print(root, debug, sb);
        return sb.ToString();
    }

    public static void Print(CalldataValue root, bool debug, StringBuilder sb)
    {
        var stack = new Stack<(CalldataValue Container, int Next)>();
        var value = root;
        while (true)
        {
            switch (value)
            {
                case CalldataNull:
                    sb.Append("null");
                    break;
                case CalldataBool b:
                    sb.Append(b.Value ? "true" : "false");
                    break;
                case CalldataNumber n:
                    sb.Append(n.Value.ToString(CultureInfo.InvariantCulture));
                    break;
                case CalldataString s:
                    AppendString(sb, s.Value, debug);
                    break;
                case CalldataBytes bytes:
                    AppendBytes(sb, bytes.Span, debug);
                    break;
                case CalldataAddress a:
                    sb.Append("addr#").Append(a.Value.ToHex());
                    break;
                case CalldataArray arr:
                    sb.Append('[');
                    stack.Push((arr, 0));
                    break;
                case CalldataMap map:
                    sb.Append('{');
                    stack.Push((map, 0));
                    break;
            }

            CalldataValue? next = null;
            while (stack.Count > 0)
            {
                var (container, index) = stack.Pop();
                if (container is CalldataArray arr)
                {
                    if (index < arr.Count)
                    {
                        if (index > 0)
                        {
                            sb.Append(',');
                        }

                        stack.Push((arr, index + 1));
                        next = arr[index];
                        break;
                    }

                    sb.Append(']');
                }
                else
                {
                    var map = (CalldataMap)container;
                    if (index < map.Count)
                    {
                        if (index > 0)
                        {
                            sb.Append(',');
                        }

                        AppendString(sb, map.GetKey(index), debug);
                        sb.Append(':');
                        stack.Push((map, index + 1));
                        next = map.GetValue(index);
                        break;
                    }

                    sb.Append('}');
                }
            }

            if (next is null)
            {
                return;
            }

            value = next;
        }
    }

    private static void AppendString(StringBuilder sb, string value, bool debug)
    {
        if (debug)
        {
            sb.Append('"');
            RustDebugEscaper.AppendEscaped(sb, value);
            sb.Append('"');
        }
        else
        {
            AppendJsonString(sb, value);
        }
    }

    private static void AppendBytes(StringBuilder sb, ReadOnlySpan<byte> bytes, bool debug)
    {
        sb.Append("b#");
        if (debug && bytes.Length > DebugBytesLimit)
        {
            AppendHex(sb, bytes[..DebugBytesEdge]);
            sb.Append("...");
            AppendHex(sb, bytes[^DebugBytesEdge..]);
        }
        else
        {
            AppendHex(sb, bytes);
        }
    }

    private static void AppendHex(StringBuilder sb, ReadOnlySpan<byte> bytes)
    {
        const int Chunk = 4096;
        Span<char> chars = stackalloc char[2 * Chunk];
        while (!bytes.IsEmpty)
        {
            var part = bytes[..Math.Min(Chunk, bytes.Length)];
            Convert.TryToHexStringLower(part, chars, out var written);
            sb.Append(chars[..written]);
            bytes = bytes[part.Length..];
        }
    }

    /// <summary>
    /// JSON string with standard escapes; the output is pure ASCII: every non-ASCII UTF-16 unit becomes
    /// <c>\uXXXX</c> (astral characters as a surrogate pair), like Python's <c>json.dumps</c> (calldata.md §9.3).
    /// </summary>
    public static void AppendJsonString(StringBuilder sb, string value)
    {
        sb.Append('"');
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\')
            {
                continue;
            }

            sb.Append(value, start, i - start);
            start = i + 1;
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                case '\b':
                    sb.Append("\\b");
                    break;
                case '\f':
                    sb.Append("\\f");
                    break;
                default:
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
            }
        }

        sb.Append(value, start, value.Length - start);
        sb.Append('"');
    }
}
