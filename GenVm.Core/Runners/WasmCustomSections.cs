using System.Text;

namespace GenVm.Core.Runners;

/// <summary>
/// Just enough of the wasm binary format to read custom sections without decoding the module: the
/// <c>genvm.version</c> section of raw wasm contracts (runners.md §2) and the module name of <c>LinkWasm</c> modules
/// (runners.md §4, name section subsection 0).
/// </summary>
internal static class WasmCustomSections
{
    /// <summary>The core-module magic and version <c>00 61 73 6d 01 00 00 00</c>.</summary>
    public static ReadOnlySpan<byte> CoreModuleHeader => [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

    /// <summary>Whether <paramref name="bytes"/> starts like a core wasm module.</summary>
    public static bool IsCoreModule(ReadOnlySpan<byte> bytes) => bytes.StartsWith(CoreModuleHeader);

    /// <summary>
    /// The payload of the first custom section called <paramref name="name"/>; false when absent or when the section
    /// list is malformed before it (the module then fails to compile anyway).
    /// </summary>
    public static bool TryFindCustomSection(ReadOnlyMemory<byte> module, string name, out ReadOnlyMemory<byte> payload)
    {
        payload = default;
        var span = module.Span;
        if (!IsCoreModule(span))
        {
            return false;
        }

        var wanted = Encoding.UTF8.GetBytes(name);
        var position = CoreModuleHeader.Length;
        while (position < span.Length)
        {
            var id = span[position++];
            if (!TryReadU32(span, ref position, out var size) || size > span.Length - position)
            {
                return false;
            }

            var end = position + (int)size;
            if (id == 0)
            {
                var inner = position;
                if (TryReadU32(span, ref inner, out var nameLength) && nameLength <= end - inner
                    && span.Slice(inner, (int)nameLength).SequenceEqual(wanted))
                {
                    var start = inner + (int)nameLength;
                    payload = module[start..end];
                    return true;
                }
            }

            position = end;
        }

        return false;
    }

    /// <summary>The module name from the <c>name</c> section (subsection 0), or null when there is none.</summary>
    public static string? ModuleName(ReadOnlyMemory<byte> module)
    {
        if (!TryFindCustomSection(module, "name", out var names))
        {
            return null;
        }

        var span = names.Span;
        var position = 0;
        while (position < span.Length)
        {
            var id = span[position++];
            if (!TryReadU32(span, ref position, out var size) || size > span.Length - position)
            {
                return null;
            }

            if (id == 0)
            {
                var inner = position;
                if (!TryReadU32(span, ref inner, out var length) || length > position + size - inner)
                {
                    return null;
                }

                try
                {
                    return RunnerArchive.StrictUtf8.GetString(span.Slice(inner, (int)length));
                }
                catch (DecoderFallbackException)
                {
                    return null;
                }
            }

            position += (int)size;
        }

        return null;
    }

    /// <summary>Unsigned LEB128, at most 5 bytes.</summary>
    private static bool TryReadU32(ReadOnlySpan<byte> span, ref int position, out uint value)
    {
        value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if (position >= span.Length)
            {
                return false;
            }

            var b = span[position++];
            value |= (uint)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return shift < 28 || b < 0x10;
            }
        }

        return false;
    }
}
