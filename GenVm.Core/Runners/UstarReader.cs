namespace GenVm.Core.Runners;

/// <summary>
/// Reads runner tars with exactly the acceptance rules of runners.md §6 (the reference's minimal USTAR reader):
/// POSIX <c>ustar\0</c>+<c>00</c> headers only, regular files and directories only, prefix and name joined without
/// <c>/</c>, fields cut at their last byte before trailing NULs are removed, strict octal sizes, no duplicates.
/// </summary>
internal static class UstarReader
{
    private const int Block = 512;

    // "ustar" NUL "00": POSIX ustar; GNU's "ustar  " NUL is rejected (§6).
    private static ReadOnlySpan<byte> UstarMagic => [(byte)'u', (byte)'s', (byte)'t', (byte)'a', (byte)'r', 0, (byte)'0', (byte)'0'];

    /// <summary>Parses <paramref name="tar"/>; members share its buffer.</summary>
    /// <exception cref="RunnerLoadException"><c>invalid_contract</c> for any violation.</exception>
    public static RunnerArchive Read(ReadOnlyMemory<byte> tar)
    {
        var span = tar.Span;
        if (span.Length < 2 * Block || span.Length % Block != 0)
        {
            throw RunnerLoadException.Invalid($"tar: size {span.Length} is not a multiple of 512 of at least 1024");
        }

        var members = RunnerArchive.NewMemberMap();
        var position = 0;
        // §6: stop where the next 1024 bytes are all zero, or fewer than 1024 bytes remain.
        while (span.Length - position >= 2 * Block && span.Slice(position, 2 * Block).ContainsAnyExcept((byte)0))
        {
            var header = span.Slice(position, Block);
            if (!header.Slice(257, 8).SequenceEqual(UstarMagic))
            {
                throw RunnerLoadException.Invalid($"tar: header at {position} is not POSIX ustar");
            }

            var type = header[156];
            if (type is not ((byte)'0' or 0 or (byte)'5'))
            {
                throw RunnerLoadException.Invalid($"tar: links are forbidden (type {type} at {position})");
            }

            var nameBytes = Concat(Field(header.Slice(345, 155)), Field(header[..100]));
            var size = ParseOctal(Field(header.Slice(124, 12)), position);
            var dataStart = (long)position + Block;
            if (size > span.Length - dataStart)
            {
                throw RunnerLoadException.Invalid($"tar: member at {position} runs past the end");
            }

            var name = RunnerArchive.DecodeUtf8(nameBytes, "tar member name");
            if (!name.EndsWith('/'))
            {
                if (!members.TryAdd(name, tar.Slice((int)dataStart, (int)size)))
                {
                    throw RunnerLoadException.Invalid($"tar: duplicate member {name}");
                }
            }

            var padded = (size + Block - 1) / Block * Block;
            position = (int)(dataStart + padded);
            if (position > span.Length)
            {
                throw RunnerLoadException.Invalid("tar: padding runs past the end");
            }
        }

        return new RunnerArchive(members, span.Length);
    }

    /// <summary>§6: the field is cut at its last byte, then trailing NULs are removed.</summary>
    private static ReadOnlySpan<byte> Field(ReadOnlySpan<byte> field)
    {
        var cut = field[..^1];
        return cut.TrimEnd((byte)0);
    }

    private static byte[] Concat(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> name)
    {
        var all = new byte[prefix.Length + name.Length];
        prefix.CopyTo(all);
        name.CopyTo(all.AsSpan(prefix.Length));
        return all;
    }

    private static long ParseOctal(ReadOnlySpan<byte> digits, int position)
    {
        long value = 0;
        foreach (var digit in digits)
        {
            if (digit is < (byte)'0' or > (byte)'7')
            {
                throw RunnerLoadException.Invalid($"tar: size of the member at {position} is not octal");
            }

            value = (value << 3) | (long)(digit - '0');
            if (value > int.MaxValue)
            {
                throw RunnerLoadException.Invalid($"tar: member at {position} is too large");
            }
        }

        return value;
    }
}
