using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace GenVm.Generators.Json;

/// <summary>
/// A small strict RFC 8259 reader. Analyzers target netstandard2.0, where System.Text.Json would have to be shipped
/// next to the generator; the constants file needs only this much.
/// </summary>
/// <remarks>
/// Rejects everything the RFC does: comments, trailing commas, single quotes, leading zeros, control characters in
/// strings, duplicate keys and trailing text. Nesting is capped so hostile input cannot exhaust the compiler's stack.
/// </remarks>
internal sealed class JsonReader
{
    private const int MaxDepth = 64;

    private readonly string _text;
    private int _position;
    private int _depth;

    private JsonReader(string text)
    {
        _text = text;
    }

    /// <summary>Parses exactly one JSON value from <paramref name="text"/>.</summary>
    /// <exception cref="JsonSyntaxException">The text is not valid JSON.</exception>
    public static JsonNode Parse(string text)
    {
        var reader = new JsonReader(text);

        // A byte order mark is not JSON but editors add it; tolerate it only at the very start.
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            reader._position = 1;
        }

        reader.SkipWhitespace();
        var value = reader.ReadValue();
        reader.SkipWhitespace();
        if (reader._position < text.Length)
        {
            throw new JsonSyntaxException("unexpected text after the JSON value", reader._position);
        }

        return value;
    }

    private JsonNode ReadValue()
    {
        if (_position >= _text.Length)
        {
            throw new JsonSyntaxException("unexpected end of input, expected a value", _position);
        }

        var c = _text[_position];
        switch (c)
        {
            case '{':
                return ReadObject();
            case '[':
                return ReadArray();
            case '"':
                var start = _position;
                var value = ReadString();
                return new JsonString(start, _position - start, value);
            case 't':
                return ReadLiteral("true", true);
            case 'f':
                return ReadLiteral("false", false);
            case 'n':
                return ReadLiteral("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9'))
                {
                    return ReadNumber();
                }

                throw new JsonSyntaxException($"unexpected character '{Printable(c)}', expected a value", _position);
        }
    }

    private JsonObject ReadObject()
    {
        var start = _position;
        Enter();
        _position++;
        var properties = new List<JsonProperty>();
        var seen = new HashSet<string>();
        SkipWhitespace();
        if (TryConsume('}'))
        {
            _depth--;
            return new JsonObject(start, _position - start, properties);
        }

        while (true)
        {
            SkipWhitespace();
            if (_position >= _text.Length || _text[_position] != '"')
            {
                throw new JsonSyntaxException("expected a string key", _position);
            }

            var nameStart = _position;
            var name = ReadString();
            var nameLength = _position - nameStart;
            if (!seen.Add(name))
            {
                throw new JsonSyntaxException($"duplicate key \"{name}\"", nameStart);
            }

            SkipWhitespace();
            Expect(':');
            SkipWhitespace();
            properties.Add(new JsonProperty(name, nameStart, nameLength, ReadValue()));
            SkipWhitespace();
            if (TryConsume('}'))
            {
                _depth--;
                return new JsonObject(start, _position - start, properties);
            }

            Expect(',');
        }
    }

    private JsonArray ReadArray()
    {
        var start = _position;
        Enter();
        _position++;
        var items = new List<JsonNode>();
        SkipWhitespace();
        if (TryConsume(']'))
        {
            _depth--;
            return new JsonArray(start, _position - start, items);
        }

        while (true)
        {
            SkipWhitespace();
            items.Add(ReadValue());
            SkipWhitespace();
            if (TryConsume(']'))
            {
                _depth--;
                return new JsonArray(start, _position - start, items);
            }

            Expect(',');
        }
    }

    private string ReadString()
    {
        _position++; // opening quote
        var builder = new StringBuilder();
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw new JsonSyntaxException("unterminated string", _position);
            }

            var c = _text[_position];
            if (c == '"')
            {
                _position++;
                return builder.ToString();
            }

            if (c < ' ')
            {
                throw new JsonSyntaxException("control character in string (must be escaped)", _position);
            }

            if (c != '\\')
            {
                builder.Append(c);
                _position++;
                continue;
            }

            if (_position + 1 >= _text.Length)
            {
                throw new JsonSyntaxException("unterminated escape sequence", _position);
            }

            var escape = _text[_position + 1];
            switch (escape)
            {
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u':
                    builder.Append(ReadUnicodeEscape());
                    continue;
                default:
                    throw new JsonSyntaxException($"invalid escape sequence '\\{Printable(escape)}'", _position);
            }

            _position += 2;
        }
    }

    private char ReadUnicodeEscape()
    {
        var digitsStart = _position + 2;
        if (digitsStart + 4 > _text.Length
            || !ushort.TryParse(_text.Substring(digitsStart, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
        {
            throw new JsonSyntaxException("\\u must be followed by four hex digits", _position);
        }

        _position = digitsStart + 4;
        return (char)code;
    }

    private JsonNumber ReadNumber()
    {
        var start = _position;
        TryConsume('-');
        if (TryConsume('0'))
        {
            if (IsDigitAt(_position))
            {
                throw new JsonSyntaxException("leading zeros are not allowed", _position);
            }
        }
        else
        {
            RequireDigits("expected a digit");
        }

        if (TryConsume('.'))
        {
            RequireDigits("expected a digit after the decimal point");
        }

        if (TryConsume('e') || TryConsume('E'))
        {
            if (!TryConsume('+'))
            {
                TryConsume('-');
            }

            RequireDigits("expected a digit in the exponent");
        }

        return new JsonNumber(start, _position - start, _text.Substring(start, _position - start));
    }

    private void RequireDigits(string message)
    {
        if (!IsDigitAt(_position))
        {
            throw new JsonSyntaxException(message, _position);
        }

        while (IsDigitAt(_position))
        {
            _position++;
        }
    }

    private JsonLiteral ReadLiteral(string word, bool? value)
    {
        if (string.CompareOrdinal(_text, _position, word, 0, word.Length) != 0)
        {
            throw new JsonSyntaxException($"invalid literal, expected '{word}'", _position);
        }

        var start = _position;
        _position += word.Length;
        return new JsonLiteral(start, word.Length, value);
    }

    private void Enter()
    {
        if (++_depth > MaxDepth)
        {
            throw new JsonSyntaxException($"nesting deeper than {MaxDepth}", _position);
        }
    }

    private void Expect(char expected)
    {
        if (!TryConsume(expected))
        {
            var found = _position < _text.Length ? $"'{Printable(_text[_position])}'" : "end of input";
            throw new JsonSyntaxException($"expected '{expected}', found {found}", _position);
        }
    }

    private bool TryConsume(char expected)
    {
        if (_position < _text.Length && _text[_position] == expected)
        {
            _position++;
            return true;
        }

        return false;
    }

    private bool IsDigitAt(int position) => position < _text.Length && _text[position] >= '0' && _text[position] <= '9';

    private void SkipWhitespace()
    {
        // RFC 8259 §2: exactly these four characters.
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            {
                return;
            }

            _position++;
        }
    }

    private static string Printable(char c) => c < ' ' || c > '~' ? $"\\u{(int)c:x4}" : c.ToString();
}
