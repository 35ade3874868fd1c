using System.Buffers.Binary;

namespace GenVm.Core.Runners;

/// <summary>
/// Reads zip contract code (runners.md §2 step 1). <see cref="TryReadCentralDirectory"/> decides whether the code is a
/// zip at all (its end record and central directory parse); <see cref="ReadMembers"/> then applies the archive rules:
/// every entry <em>stored</em> (method 0), data taken verbatim from the local header's data offset, names as stored,
/// no duplicates. Written against the PKWARE APPNOTE layout; zip64 and encrypted entries are refused.
/// </summary>
internal static class ZipReader
{
    private const uint EndOfCentralDirectorySignature = 0x06054b50;
    private const uint CentralHeaderSignature = 0x02014b50;
    private const uint LocalHeaderSignature = 0x04034b50;
    private const int EndRecordSize = 22;
    private const int CentralHeaderSize = 46;
    private const int LocalHeaderSize = 30;

    /// <summary>One central-directory entry.</summary>
    internal readonly record struct Entry(ReadOnlyMemory<byte> Name, ushort Flags, ushort Method, uint CompressedSize, uint LocalHeaderOffset);

    /// <summary>
    /// Whether <paramref name="code"/> has a parsable end-of-central-directory record and central directory. A false
    /// result means "not a zip": detection goes on with raw wasm and text (§2).
    /// </summary>
    public static bool TryReadCentralDirectory(ReadOnlyMemory<byte> owner, out List<Entry> entries)
    {
        entries = [];
        var code = owner.Span;
        var end = FindEndRecord(code);
        if (end < 0)
        {
            return false;
        }

        var record = code.Slice(end, EndRecordSize);
        var count = BinaryPrimitives.ReadUInt16LittleEndian(record[10..]);
        var directorySize = BinaryPrimitives.ReadUInt32LittleEndian(record[12..]);
        var directoryOffset = BinaryPrimitives.ReadUInt32LittleEndian(record[16..]);
        if ((long)directoryOffset + directorySize > end)
        {
            return false;
        }

        var position = (int)directoryOffset;
        for (var i = 0; i < count; i++)
        {
            if (end - position < CentralHeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(code[position..]) != CentralHeaderSignature)
            {
                return false;
            }

            var header = code.Slice(position, CentralHeaderSize);
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header[30..]);
            var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(header[32..]);
            var total = CentralHeaderSize + nameLength + extraLength + commentLength;
            if (end - position < total)
            {
                return false;
            }

            entries.Add(new Entry(
                owner.Slice(position + CentralHeaderSize, nameLength),
                BinaryPrimitives.ReadUInt16LittleEndian(header[8..]),
                BinaryPrimitives.ReadUInt16LittleEndian(header[10..]),
                BinaryPrimitives.ReadUInt32LittleEndian(header[20..]),
                BinaryPrimitives.ReadUInt32LittleEndian(header[42..])));
            position += total;
        }

        return true;
    }

    /// <summary>Builds the archive from parsed entries; <c>total_size</c> = code length (§2).</summary>
    /// <exception cref="RunnerLoadException"><c>invalid_contract</c> for a compressed, encrypted, zip64, truncated or duplicate entry.</exception>
    public static RunnerArchive ReadMembers(ReadOnlyMemory<byte> code, List<Entry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var span = code.Span;
        var members = RunnerArchive.NewMemberMap();
        foreach (var entry in entries)
        {
            var name = RunnerArchive.DecodeUtf8(entry.Name.Span, "zip entry name");
            if (entry.Method != 0)
            {
                throw RunnerLoadException.Invalid($"zip: entry {name} is compressed (method {entry.Method}); only stored entries are allowed");
            }

            if ((entry.Flags & 1) != 0)
            {
                throw RunnerLoadException.Invalid($"zip: entry {name} is encrypted");
            }

            if (entry.CompressedSize == uint.MaxValue || entry.LocalHeaderOffset == uint.MaxValue)
            {
                throw RunnerLoadException.Invalid($"zip: entry {name} needs zip64");
            }

            long local = entry.LocalHeaderOffset;
            if (span.Length - local < LocalHeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(span[(int)local..]) != LocalHeaderSignature)
            {
                throw RunnerLoadException.Invalid($"zip: entry {name} has no local header");
            }

            var dataStart = local + LocalHeaderSize
                + BinaryPrimitives.ReadUInt16LittleEndian(span[(int)(local + 26)..])
                + BinaryPrimitives.ReadUInt16LittleEndian(span[(int)(local + 28)..]);
            if (dataStart > span.Length || span.Length - dataStart < entry.CompressedSize)
            {
                throw RunnerLoadException.Invalid($"zip: entry {name} runs past the end");
            }

            if (!members.TryAdd(name, code.Slice((int)dataStart, (int)entry.CompressedSize)))
            {
                throw RunnerLoadException.Invalid($"zip: duplicate entry {name}");
            }
        }

        return new RunnerArchive(members, span.Length);
    }

    /// <summary>The end record's offset: searched backwards, its comment must end exactly at the end of the code.</summary>
    private static int FindEndRecord(ReadOnlySpan<byte> code)
    {
        var lowest = Math.Max(0, code.Length - EndRecordSize - ushort.MaxValue);
        for (var at = code.Length - EndRecordSize; at >= lowest; at--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(code[at..]) == EndOfCentralDirectorySignature
                && at + EndRecordSize + BinaryPrimitives.ReadUInt16LittleEndian(code[(at + 20)..]) == code.Length)
            {
                return at;
            }
        }

        return -1;
    }
}
