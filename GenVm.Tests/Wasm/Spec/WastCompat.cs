using System.Text;

namespace GenVm.Tests.Wasm.Spec;

/// <summary>
/// Rewrites newer text-format syntax that Debian's wast2json 1.0.32 cannot parse into older syntax with the same
/// binary, so the 7 scripts it rejects still run (README: Known gaps):
/// <list type="bullet">
/// <item><c>table.get/set/size/grow/fill</c> without a table index get an explicit <c>0</c> (the default table).</item>
/// <item>A folded <c>if</c> with several condition expressions keeps only the last one; the others move just before
/// the <c>(if</c>. Folded syntax is only notation: both forms encode to the same instruction sequence.</item>
/// <item>A top-level <c>(module quote "…")</c> (wast2json aborts on it) becomes <c>(module …)</c> with the decoded
/// text inline; a lone carriage return there becomes a line feed, since wabt ends line comments only at LF.</item>
/// </list>
/// Strings, comments and all other text are copied unchanged.
/// </summary>
internal static class WastCompat
{
    private static readonly HashSet<string> TableInstructions = new(StringComparer.Ordinal)
    {
        "table.get", "table.set", "table.size", "table.grow", "table.fill",
    };

    private static readonly HashSet<string> BlockTypeHeads = new(StringComparer.Ordinal) { "type", "param", "result" };

    /// <summary>Returns the script with the rewrites applied.</summary>
    public static string Rewrite(string script)
    {
        var parser = new Parser(script);
        var nodes = parser.ParseSequence(topLevel: true, out var trailing);
        var sb = new StringBuilder(script.Length + 256);
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            if (IsModuleQuote(node))
            {
                RenderModuleQuote(node, sb);
            }
            else
            {
                Render(node, sb);
            }
        }

        return sb.Append(trailing).ToString();
    }

    private static bool IsModuleQuote(Node node) =>
        node.Children is { Count: >= 2 } c && c[0].Atom == "module"
        && (c[1].Atom == "quote" || (c.Count >= 3 && c[1].Atom?.StartsWith('$') == true && c[2].Atom == "quote"));

    private static void RenderModuleQuote(Node node, StringBuilder sb)
    {
        var c = node.Children!;
        sb.Append(node.Leading).Append("(module");
        var i = 1;
        if (c[1].Atom!.StartsWith('$'))
        {
            sb.Append(' ').Append(c[1].Atom);
            i = 2;
        }

        var bytes = new List<byte>();
        for (i++; i < c.Count; i++)
        {
            bytes.AddRange(DecodeString(c[i].Atom!));
        }

        var text = Encoding.UTF8.GetString(bytes.ToArray()).Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        sb.Append('\n').Append(text).Append('\n').Append(node.Trailing).Append(')');
    }

    /// <summary>Decodes a quoted wast string (<c>\n \t \" \\ \hh \u{…}</c> escapes) to its bytes.</summary>
    private static byte[] DecodeString(string quoted)
    {
        var result = new List<byte>();
        var s = quoted[1..^1];
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '\\')
            {
                var end = i;
                while (end < s.Length && s[end] != '\\')
                {
                    end++;
                }

                result.AddRange(Encoding.UTF8.GetBytes(s[i..end]));
                i = end - 1;
                continue;
            }

            var e = s[++i];
            switch (e)
            {
                case 'n': result.Add((byte)'\n'); break;
                case 't': result.Add((byte)'\t'); break;
                case 'r': result.Add((byte)'\r'); break;
                case '"': result.Add((byte)'"'); break;
                case '\'': result.Add((byte)'\''); break;
                case '\\': result.Add((byte)'\\'); break;
                case 'u':
                {
                    var close = s.IndexOf('}', i);
                    var code = Convert.ToInt32(s[(i + 2)..close].Replace("_", string.Empty, StringComparison.Ordinal), 16);
                    result.AddRange(Encoding.UTF8.GetBytes(char.ConvertFromUtf32(code)));
                    i = close;
                    break;
                }

                default:
                    result.Add(Convert.ToByte(s.Substring(i, 2), 16));
                    i++;
                    break;
            }
        }

        return result.ToArray();
    }

    private static void Render(Node node, StringBuilder sb)
    {
        sb.Append(node.Leading);
        if (node.Children is null)
        {
            sb.Append(node.Atom);
            return;
        }

        var children = node.Children;
        (int Start, int Count) hoisted = children.Count > 0 && children[0].Atom == "if" ? FoldedIfConditionsToHoist(children) : (0, 0);
        for (var i = hoisted.Start; i < hoisted.Start + hoisted.Count; i++)
        {
            Render(children[i], sb);
        }

        if (hoisted.Count > 0)
        {
            sb.Append(' ');
        }

        sb.Append('(');
        for (var i = 0; i < children.Count; i++)
        {
            if (i >= hoisted.Start && i < hoisted.Start + hoisted.Count)
            {
                continue;
            }

            Render(children[i], sb);
            if (children[i].Atom is { } atom && TableInstructions.Contains(atom) && !IsIndex(i + 1 < children.Count ? children[i + 1] : null))
            {
                sb.Append(" 0");
            }
        }

        sb.Append(node.Trailing).Append(')');
    }

    private static bool IsIndex(Node? next) =>
        next?.Atom is { Length: > 0 } a && (a[0] == '$' || char.IsAsciiDigit(a[0]));

    /// <summary>For <c>(if label? blocktype* cond* (then …) (else …)?)</c>: the conditions before the last one.</summary>
    private static (int Start, int Count) FoldedIfConditionsToHoist(List<Node> children)
    {
        var i = 1;
        if (i < children.Count && children[i].Atom?.StartsWith('$') == true)
        {
            i++;
        }

        while (i < children.Count && children[i].Children is { Count: > 0 } c && c[0].Atom is { } head && BlockTypeHeads.Contains(head))
        {
            i++;
        }

        var start = i;
        while (i < children.Count && children[i].Children is { Count: > 0 } c && c[0].Atom != "then")
        {
            i++;
        }

        var count = i - start;
        return i < children.Count && count >= 2 ? (start, count - 1) : (0, 0);
    }

    /// <summary>An atom (token or string) or a list, with the whitespace and comments before it.</summary>
    private sealed class Node
    {
        public string Leading { get; init; } = string.Empty;

        public string? Atom { get; init; }

        public List<Node>? Children { get; init; }

        /// <summary>For lists: whitespace and comments before the closing parenthesis.</summary>
        public string Trailing { get; init; } = string.Empty;
    }

    private sealed class Parser(string text)
    {
        private int _pos;

        public List<Node> ParseSequence(bool topLevel, out string trailing)
        {
            var nodes = new List<Node>();
            while (true)
            {
                var leading = ReadTrivia();
                if (_pos >= text.Length || (!topLevel && text[_pos] == ')'))
                {
                    trailing = leading;
                    return nodes;
                }

                if (text[_pos] == ')')
                {
                    // Unbalanced input: keep it verbatim and let wast2json report it.
                    nodes.Add(new Node { Leading = leading, Atom = ")" });
                    _pos++;
                    continue;
                }

                if (text[_pos] == '(')
                {
                    _pos++;
                    var children = ParseSequence(topLevel: false, out var inner);
                    if (_pos < text.Length)
                    {
                        _pos++;
                    }

                    nodes.Add(new Node { Leading = leading, Children = children, Trailing = inner });
                    continue;
                }

                nodes.Add(new Node { Leading = leading, Atom = ReadAtom() });
            }
        }

        private string ReadAtom()
        {
            var start = _pos;
            if (text[_pos] == '"')
            {
                for (_pos++; _pos < text.Length && text[_pos] != '"'; _pos++)
                {
                    if (text[_pos] == '\\')
                    {
                        _pos++;
                    }
                }

                _pos = Math.Min(_pos + 1, text.Length);
                return text[start.._pos];
            }

            while (_pos < text.Length && !char.IsWhiteSpace(text[_pos]) && text[_pos] is not ('(' or ')' or '"')
                && !(text[_pos] == ';' && _pos + 1 < text.Length && text[_pos + 1] == ';'))
            {
                _pos++;
            }

            return text[start.._pos];
        }

        private string ReadTrivia()
        {
            var start = _pos;
            while (_pos < text.Length)
            {
                if (char.IsWhiteSpace(text[_pos]))
                {
                    _pos++;
                }
                else if (text[_pos] == ';' && _pos + 1 < text.Length && text[_pos + 1] == ';')
                {
                    while (_pos < text.Length && text[_pos] != '\n')
                    {
                        _pos++;
                    }
                }
                else if (text[_pos] == '(' && _pos + 1 < text.Length && text[_pos + 1] == ';')
                {
                    SkipBlockComment();
                }
                else
                {
                    break;
                }
            }

            return text[start.._pos];
        }

        private void SkipBlockComment()
        {
            var depth = 0;
            while (_pos < text.Length)
            {
                if (text[_pos] == '(' && _pos + 1 < text.Length && text[_pos + 1] == ';')
                {
                    depth++;
                    _pos += 2;
                }
                else if (text[_pos] == ';' && _pos + 1 < text.Length && text[_pos + 1] == ')')
                {
                    _pos += 2;
                    if (--depth == 0)
                    {
                        return;
                    }
                }
                else
                {
                    _pos++;
                }
            }
        }
    }
}
