using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using GenVm.Core.Calldata;

namespace GenVm.Modules.Llm;

/// <summary>Turning a model's JSON-ish text into a calldata map (modules.md §3.4: sanitize, repair, parse).</summary>
internal static class LlmJson
{
    private static readonly string[] Literals = ["true", "false", "null"];

    /// <summary>Sanitize, repair and parse; the top-level value must be an object.</summary>
    /// <exception cref="LlmAnswerFormatException"><c>parsing "&lt;text&gt;"</c>.</exception>
    public static JsonElement ParseObject(string text)
    {
        var repaired = Repair(Sanitize(text));
        try
        {
            using var doc = JsonDocument.Parse(repaired);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                return doc.RootElement.Clone();
            }
        }
        catch (JsonException e)
        {
            throw new LlmAnswerFormatException($"parsing \"{repaired}\"", e);
        }

        throw new LlmAnswerFormatException($"parsing \"{repaired}\"");
    }

    /// <summary>Trim, strip a leading <c>```json</c> or <c>```</c> and a trailing <c>```</c>, trim again (§3.4).</summary>
    public static string Sanitize(string text)
    {
        var s = text.Trim();
        if (s.StartsWith("```json", StringComparison.Ordinal))
        {
            s = s[7..];
        }
        else if (s.StartsWith("```", StringComparison.Ordinal))
        {
            s = s[3..];
        }

        if (s.EndsWith("```", StringComparison.Ordinal))
        {
            s = s[..^3];
        }

        return s.Trim();
    }

    /// <summary>Complete truncated JSON (modules.md §3.4, steps 1-4).</summary>
    public static string Repair(string text)
    {
        var s = new StringBuilder(text.TrimEnd());
        var closers = new Stack<char>();
        bool inString = false, escaped = false, colonSeen = false;

        // Step 1: scan.
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (inString)
            {
                if (escaped)
                {
                    escaped = false;
                }
                else if (c == '\\')
                {
                    escaped = true;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '{':
                    closers.Push('}');
                    break;
                case '[':
                    closers.Push(']');
                    break;
                case '}' or ']':
                    if (closers.Count > 0 && closers.Peek() == c)
                    {
                        closers.Pop();
                    }

                    break;
                case ':':
                    colonSeen = true;
                    break;
                case ',':
                    if (closers.Count > 0 && closers.Peek() == '}')
                    {
                        colonSeen = false;
                    }

                    break;
            }
        }

        // Step 2: close an open string.
        if (inString)
        {
            if (escaped)
            {
                s.Length--;
            }

            DropIncompleteUnicodeEscape(s);
            s.Append('"');
        }

        // Step 3: complete the last token.
        while (s.Length > 0 && char.IsWhiteSpace(s[^1]))
        {
            s.Length--;
        }

        if (s.Length > 0)
        {
            var last = s[^1];
            if (last == '{')
            {
            }
            else if (last == ':')
            {
                s.Append("null");
            }
            else if (last is '-' or '.' or '+')
            {
                s.Append('0');
            }
            else if (last is 'e' or 'E' && s.Length > 1 && char.IsAsciiDigit(s[^2]))
            {
                s.Append('0');
            }
            else if (last == ',')
            {
                s.Length--;
            }
            else if (closers.Count > 0 && closers.Peek() == '}' && !colonSeen)
            {
                s.Append(":null");
            }
            else
            {
                CompleteLiteral(s);
            }
        }

        // Step 4: close containers, innermost first.
        while (closers.Count > 0)
        {
            s.Append(closers.Pop());
        }

        return s.Length == 0 ? "{}" : s.ToString();
    }

    /// <summary>
    /// Converts an answer value to calldata: objects → maps, arrays, strings, bools, null, integers. A fractional
    /// number is not representable (modules.md §5.6) and is a fatal answer error.
    /// </summary>
    public static CalldataValue ToCalldata(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => CalldataValue.FromMap(element.EnumerateObject()
            .GroupBy(p => p.Name, StringComparer.Ordinal)
            .Select(g => new KeyValuePair<string, CalldataValue>(g.Key, ToCalldata(g.Last().Value)))),
        JsonValueKind.Array => CalldataValue.FromArray(element.EnumerateArray().Select(ToCalldata).ToList()),
        JsonValueKind.String => CalldataValue.FromString(element.GetString()!),
        JsonValueKind.True => CalldataValue.True,
        JsonValueKind.False => CalldataValue.False,
        JsonValueKind.Null => CalldataValue.Null,
        JsonValueKind.Number => ToNumber(element.GetRawText()),
        _ => throw new LlmAnswerFormatException($"unsupported JSON value {element.ValueKind}"),
    };

    /// <summary>Like <see cref="ToCalldata"/> but keeps fractional numbers as their text (for error contexts).</summary>
    public static CalldataValue ToCalldataLenient(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => CalldataValue.FromMap(element.EnumerateObject()
            .GroupBy(p => p.Name, StringComparer.Ordinal)
            .Select(g => new KeyValuePair<string, CalldataValue>(g.Key, ToCalldataLenient(g.Last().Value)))),
        JsonValueKind.Array => CalldataValue.FromArray(element.EnumerateArray().Select(ToCalldataLenient).ToList()),
        JsonValueKind.Number when !IsInteger(element.GetRawText()) => CalldataValue.FromString(element.GetRawText()),
        _ => ToCalldata(element),
    };

    private static bool IsInteger(string raw)
        => raw.Length > 0 && raw.AsSpan(raw[0] == '-' ? 1 : 0).IndexOfAnyExceptInRange('0', '9') < 0;

    private static CalldataValue ToNumber(string raw)
        => IsInteger(raw)
            ? CalldataValue.FromNumber(BigInteger.Parse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture))
            : throw new LlmAnswerFormatException($"fractional number {raw} in answer");

    private static void DropIncompleteUnicodeEscape(StringBuilder s)
    {
        // Only hex digits may follow the u, fewer than four of them, and the u must itself be escaped.
        var hex = 0;
        while (hex < 4 && hex < s.Length && char.IsAsciiHexDigit(s[s.Length - 1 - hex]))
        {
            hex++;
        }

        for (var digits = 0; digits <= Math.Min(hex, 3); digits++)
        {
            var u = s.Length - 1 - digits;
            if (u < 1 || s[u] is not ('u' or 'U'))
            {
                continue;
            }

            var slashes = 0;
            while (u - 1 - slashes >= 0 && s[u - 1 - slashes] == '\\')
            {
                slashes++;
            }

            if (slashes % 2 == 1)
            {
                s.Length = u - 1;
                return;
            }
        }
    }

    private static void CompleteLiteral(StringBuilder s)
    {
        var tail = s.ToString(Math.Max(0, s.Length - 4), Math.Min(4, s.Length));
        foreach (var literal in Literals)
        {
            for (var k = literal.Length - 1; k >= 1; k--)
            {
                if (tail.EndsWith(literal.AsSpan(0, k), StringComparison.Ordinal))
                {
                    s.Append(literal.AsSpan(k));
                    return;
                }
            }
        }
    }
}
