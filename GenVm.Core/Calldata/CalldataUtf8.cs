using System.Text;
using System.Text.Unicode;

namespace GenVm.Core.Calldata;

/// <summary>UTF-8 / UTF-16 validity helpers shared by the codec and the text forms.</summary>
internal static class CalldataUtf8
{
    /// <summary>A UTF-8 encoding that throws on lone surrogates instead of writing U+FFFD.</summary>
    public static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>True when the UTF-16 text has no lone surrogate, so it has an exact UTF-8 form.</summary>
    public static bool IsValidUtf16(ReadOnlySpan<char> text)
    {
        // Fast path: no surrogate at all (the vectorized search is much cheaper than a decode).
        var i = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (i < 0)
        {
            return true;
        }

        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i += 2;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
            else
            {
                i++;
            }
        }

        return true;
    }

    /// <summary>
    /// Describes the first UTF-8 error like Rust's <c>Utf8Error</c> display (calldata.md §3.3 says the exact text is
    /// not relied upon): <c>invalid utf-8 sequence of N bytes from index I</c> or
    /// <c>incomplete utf-8 byte sequence from index I</c>. Returns null for valid input.
    /// </summary>
    public static string? DescribeError(ReadOnlySpan<byte> utf8)
    {
        var index = 0;
        while (index < utf8.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(utf8[index..], out _, out var consumed);
            if (status == System.Buffers.OperationStatus.Done)
            {
                index += consumed;
                continue;
            }

            return status == System.Buffers.OperationStatus.NeedMoreData
                ? $"incomplete utf-8 byte sequence from index {index}"
                : $"invalid utf-8 sequence of {consumed} bytes from index {index}";
        }

        return null;
    }

    /// <summary>True when the octets are valid UTF-8.</summary>
    public static bool IsValid(ReadOnlySpan<byte> utf8) => Utf8.IsValid(utf8);
}
