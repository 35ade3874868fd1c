using System.Globalization;
using System.Numerics;
using System.Text;

namespace GenVm.Core.Calldata;

/// <summary>Iterative parser of the lossless text form (see <see cref="CalldataText"/>); any nesting depth.</summary>
internal sealed class CalldataTextParser
{
    private readonly string _text;
    private int _pos;

    public CalldataTextParser(string text) => _text = text;

    private sealed class Frame
    {
        public Frame(bool isMap, int start)
        {
            IsMap = isMap;
            Start = start;
        }

        public bool IsMap { get; }

        public int Start { get; }

        public List<CalldataValue>? Items { get; set; }

        public List<KeyValuePair<string, CalldataValue>>? Entries { get; set; }

        public HashSet<string>? SeenKeys { get; set; }

        public string? PendingKey { get; set; }
    }

    public CalldataValue ParseDocument()
    {
        var stack = new Stack<Frame>();
        while (true)
        {
            SkipWhitespace();
            if (stack.TryPeek(out var frame) && frame.IsMap)
            {
                ReadMapKey(frame);
            }

            CalldataValue? value = null;
            var c = Peek();
            switch (c)
            {
                case '[':
                case '{':
                {
                    var start = _pos++;
                    SkipWhitespace();
                    var close = c == '[' ? ']' : '}';
                    if (Peek() == close)
                    {
                        _pos++;
                        value = c == '[' ? CalldataArray.Empty : CalldataMap.Empty;
                    }
                    else
                    {
                        stack.Push(new Frame(c == '{', start));
                        continue;
                    }

                    break;
                }

                default:
                    value = ReadScalar();
                    break;
            }

            // Attach the value to the open containers, closing those that end here.
            while (true)
            {
                if (!stack.TryPeek(out var top))
                {
                    SkipWhitespace();
                    if (_pos != _text.Length)
                    {
                        throw Fail("expected end of input");
                    }

                    return value;
                }

                if (top.IsMap)
                {
                    top.Entries ??= [];
                    top.Entries.Add(new(top.PendingKey!, value));
                    top.PendingKey = null;
                }
                else
                {
                    top.Items ??= [];
                    top.Items.Add(value);
                }

                SkipWhitespace();
                var next = Peek();
                if (next == ',')
                {
                    _pos++;
                    break;
                }

                var close = top.IsMap ? '}' : ']';
                if (next != close)
                {
                    throw Fail($"expected ',' or '{close}'");
                }

                _pos++;
                stack.Pop();
                value = top.IsMap
                    ? CalldataMap.Create(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(top.Entries))
                    : new CalldataArray([.. top.Items!]);
            }
        }
    }

    private void ReadMapKey(Frame frame)
    {
        var keyStart = _pos;
        if (Peek() != '"')
        {
            throw Fail("expected a string map key");
        }

        var key = ReadString();
        frame.SeenKeys ??= new HashSet<string>(StringComparer.Ordinal);
        if (!frame.SeenKeys.Add(key))
        {
            throw new CalldataTextException($"duplicate map key {CalldataText.Print(CalldataValue.FromString(key))}", keyStart);
        }

        SkipWhitespace();
        if (Peek() != ':')
        {
            throw Fail("expected ':' after a map key");
        }

        _pos++;
        SkipWhitespace();
        frame.PendingKey = key;
    }

    private CalldataValue ReadScalar()
    {
        var c = Peek();
        if (c == '"')
        {
            return new CalldataString(ReadString(), trusted: true);
        }

        if (c == '-' || (c >= '0' && c <= '9'))
        {
            return new CalldataNumber(ReadInteger());
        }

        if (Matches("b#"))
        {
            _pos += 2;
            return ReadBytesLiteral();
        }

        if (Matches("addr#"))
        {
            _pos += 5;
            var start = _pos;
            var digits = CountHexDigits();
            if (digits != 2 * Address.Length)
            {
                throw new CalldataTextException($"expected exactly 40 hex digits after addr#, found {digits}", start);
            }

            _pos += digits;
            return new CalldataAddress(Address.Parse(_text.AsSpan(start, digits)));
        }

        if (MatchesWord("null"))
        {
            return CalldataValue.Null;
        }

        if (MatchesWord("true"))
        {
            return CalldataValue.True;
        }

        if (MatchesWord("false"))
        {
            return CalldataValue.False;
        }

        throw Fail(_pos >= _text.Length
            ? "unexpected end of input, expected a value"
            : "expected a value (null, true, false, an integer, \"string\", b#hex, addr#hex, [ or {)");
    }

    private BigInteger ReadInteger()
    {
        var start = _pos;
        if (Peek() == '-')
        {
            _pos++;
        }

        var digitsStart = _pos;
        while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
        {
            _pos++;
        }

        if (_pos == digitsStart)
        {
            throw Fail("expected a digit");
        }

        if (_text[digitsStart] == '0' && _pos - digitsStart > 1)
        {
            throw new CalldataTextException("leading zeros are not allowed in integers", digitsStart);
        }

        if (_pos < _text.Length && _text[_pos] is '.' or 'e' or 'E')
        {
            throw Fail("calldata has no floats: expected an integer");
        }

        return BigInteger.Parse(_text.AsSpan(start, _pos - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    }

    private CalldataBytes ReadBytesLiteral()
    {
        var start = _pos;
        var digits = CountHexDigits();
        if (digits % 2 != 0)
        {
            throw new CalldataTextException("expected an even number of hex digits after b#", start + digits);
        }

        _pos += digits;
        return digits == 0 ? CalldataBytes.Empty : new CalldataBytes(Convert.FromHexString(_text.AsSpan(start, digits)));
    }

    private int CountHexDigits()
    {
        var i = _pos;
        while (i < _text.Length && char.IsAsciiHexDigit(_text[i]))
        {
            i++;
        }

        return i - _pos;
    }

    private string ReadString()
    {
        _pos++; // opening quote
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw Fail("unterminated string, expected '\"'");
            }

            var c = _text[_pos];
            if (c == '"')
            {
                _pos++;
                return sb.ToString();
            }

            if (c < 0x20)
            {
                throw Fail("control characters must be escaped in strings");
            }

            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && _pos + 1 < _text.Length && char.IsLowSurrogate(_text[_pos + 1]))
                {
                    sb.Append(c).Append(_text[_pos + 1]);
                    _pos += 2;
                    continue;
                }

                throw Fail("lone surrogate in string (calldata strings are valid Unicode)");
            }

            if (c != '\\')
            {
                sb.Append(c);
                _pos++;
                continue;
            }

            var escapeStart = _pos;
            _pos++;
            if (_pos >= _text.Length)
            {
                throw Fail("unterminated escape sequence");
            }

            var e = _text[_pos++];
            switch (e)
            {
                case '"':
                    sb.Append('"');
                    break;
                case '\\':
                    sb.Append('\\');
                    break;
                case '/':
                    sb.Append('/');
                    break;
                case 'b':
                    sb.Append('\b');
                    break;
                case 'f':
                    sb.Append('\f');
                    break;
                case 'n':
                    sb.Append('\n');
                    break;
                case 'r':
                    sb.Append('\r');
                    break;
                case 't':
                    sb.Append('\t');
                    break;
                case 'u':
                {
                    var unit = ReadHex4(escapeStart);
                    if (char.IsLowSurrogate(unit))
                    {
                        throw new CalldataTextException("lone low surrogate escape (calldata strings are valid Unicode)", escapeStart);
                    }

                    if (char.IsHighSurrogate(unit))
                    {
                        if (!Matches("\\u"))
                        {
                            throw new CalldataTextException("high surrogate escape must be followed by a \\u low surrogate", escapeStart);
                        }

                        var lowStart = _pos;
                        _pos += 2;
                        var low = ReadHex4(lowStart);
                        if (!char.IsLowSurrogate(low))
                        {
                            throw new CalldataTextException("high surrogate escape must be followed by a \\u low surrogate", lowStart);
                        }

                        sb.Append(unit).Append(low);
                    }
                    else
                    {
                        sb.Append(unit);
                    }

                    break;
                }

                default:
                    throw new CalldataTextException("invalid escape, expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX", escapeStart);
            }
        }
    }

    private char ReadHex4(int escapeStart)
    {
        if (_pos + 4 > _text.Length || !int.TryParse(_text.AsSpan(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var unit)
            || !char.IsAsciiHexDigit(_text[_pos]))
        {
            throw new CalldataTextException("expected 4 hex digits after \\u", escapeStart);
        }

        _pos += 4;
        return (char)unit;
    }

    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private bool Matches(string literal) => string.CompareOrdinal(_text, _pos, literal, 0, literal.Length) == 0;

    private bool MatchesWord(string word)
    {
        if (!Matches(word))
        {
            return false;
        }

        var end = _pos + word.Length;
        if (end < _text.Length && (char.IsAsciiLetterOrDigit(_text[end]) || _text[end] == '_' || _text[end] == '#'))
        {
            return false;
        }

        _pos = end;
        return true;
    }

    private void SkipWhitespace()
    {
        while (_pos < _text.Length && _text[_pos] is ' ' or '\t' or '\n' or '\r')
        {
            _pos++;
        }
    }

    private CalldataTextException Fail(string problem) => new(problem, _pos);
}
