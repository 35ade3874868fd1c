namespace GenVm.Core.Calldata;

/// <summary>
/// One-call entry points of the calldata codec (calldata.md). Named <c>CalldataCodec</c>, not <c>Calldata</c>: a type
/// named like its namespace could not be referenced as <c>Calldata.Encode</c> from any <c>GenVm.Core.*</c> namespace
/// (the namespace <c>GenVm.Core.Calldata</c> wins the lookup). Also reachable as <see cref="CalldataValue.Encode"/> and
/// <see cref="CalldataValue.Decode"/>.
/// </summary>
public static class CalldataCodec
{
    // A per-thread writer keeps its buffer between calls, so encoding costs one exact-size copy instead of a
    // chain of growing buffers. Buffers above this size are not kept, to bound what an idle thread retains.
    private const int MaxRetainedBuffer = 4 << 20;

    [ThreadStatic]
    private static CalldataWriter? t_writer;

    /// <summary>Returns the canonical encoding of <paramref name="value"/>.</summary>
    public static byte[] Encode(CalldataValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var writer = t_writer ?? new CalldataWriter(4096);
        t_writer = null; // not re-entrant while in use (e.g. from a debugger evaluating ToString)
        try
        {
            writer.WriteValue(value);
            return writer.Encode();
        }
        finally
        {
            if (writer.BytesWritten <= MaxRetainedBuffer)
            {
                writer.Reset();
                t_writer = writer;
            }
        }
    }

    /// <summary>Decodes exactly one value; trailing octets fail with <c>input is partially unparsed</c> (calldata.md §6).</summary>
    /// <exception cref="CalldataFormatException">The input is not the canonical encoding of one value.</exception>
    public static CalldataValue Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = new CalldataReader(encoded);
        var value = reader.ReadValue();
        reader.ReadEnd();
        return value;
    }

    /// <summary>Decodes like <see cref="Decode"/> and reports failure instead of throwing.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CalldataValue? value, out CalldataFormatException? error)
    {
        try
        {
            value = Decode(encoded);
            error = null;
            return true;
        }
        catch (CalldataFormatException e)
        {
            value = null;
            error = e;
            return false;
        }
    }

    /// <summary>Checks that <paramref name="encoded"/> is the canonical encoding of exactly one value, without building it.</summary>
    /// <exception cref="CalldataFormatException">The input is not the canonical encoding of one value.</exception>
    public static void Validate(ReadOnlySpan<byte> encoded)
    {
        var reader = new CalldataReader(encoded);
        reader.SkipValue();
        reader.ReadEnd();
    }
}
