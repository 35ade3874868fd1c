using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace GenVm.Wasm.Compilation;

/// <summary>
/// The check a compile cache entry keeps of its image file: the image's length and the CRC-32C (Castagnoli) of each
/// of its four quarters. It guards against damage at rest (a truncated, torn or bit-flipped file), which is all the
/// image needs: the entry that holds this checksum is itself covered by a SHA-256, and whoever can rewrite files in
/// the cache directory can rewrite the entry too. Four independent lanes let the CPU's CRC instruction run at full
/// throughput, so a 35 MB native CPython image is checked in a few milliseconds instead of the ~28 ms a SHA-256 took
/// on every fresh process (docs/decisions.md, "Compile cache: layout, key and trust").
/// </summary>
internal static class ImageChecksum
{
    /// <summary>Bytes of a checksum: tag (8), length (8), four lane CRCs (16).</summary>
    public const int Size = 32;

    private const uint Polynomial = 0x82F63B78; // CRC-32C, reflected
    private const int Lanes = 4;
    private static readonly ulong Tag = BinaryPrimitives.ReadUInt64LittleEndian("crc32cx4"u8);
    private static readonly uint[] Table = BuildTable();

    /// <summary>Writes the checksum of <paramref name="image"/> into <paramref name="destination"/> (<see cref="Size"/> bytes).</summary>
    public static void Compute(ReadOnlySpan<byte> image, Span<byte> destination) => Compute(image, destination, Sse42.X64.IsSupported || Crc32.Arm64.IsSupported);

    /// <summary>The checksum of <paramref name="image"/>.</summary>
    public static byte[] Compute(ReadOnlySpan<byte> image)
    {
        var result = new byte[Size];
        Compute(image, result);
        return result;
    }

    /// <summary>As <see cref="Compute(ReadOnlySpan{byte}, Span{byte})"/>, choosing the instruction or the table path (tests compare the two).</summary>
    internal static void Compute(ReadOnlySpan<byte> image, Span<byte> destination, bool hardware)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Size);
        // Each lane covers a whole number of 8-byte words; the last lane also takes the remainder.
        var quarter = image.Length / Lanes / 8 * 8;
        Span<uint> crcs = stackalloc uint[Lanes];
        crcs.Fill(uint.MaxValue);
        if (hardware && quarter > 0)
        {
            Interleaved(image, quarter, crcs);
        }
        else
        {
            for (var lane = 0; lane < Lanes - 1; lane++)
            {
                crcs[lane] = Bytes(crcs[lane], image.Slice(lane * quarter, quarter), hardware);
            }

            crcs[Lanes - 1] = Bytes(crcs[Lanes - 1], image[((Lanes - 1) * quarter)..], hardware);
        }

        BinaryPrimitives.WriteUInt64LittleEndian(destination, Tag);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], (ulong)image.Length);
        for (var lane = 0; lane < Lanes; lane++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(destination[(16 + (4 * lane))..], ~crcs[lane]);
        }
    }

    // The four lanes advance together so the CRC instruction's latency overlaps (one word of each lane per step).
    // Words are read in the machine's order; the CRC instructions exist only on little-endian x64 and Arm64.
    private static void Interleaved(ReadOnlySpan<byte> image, int quarter, Span<uint> crcs)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(image[..(quarter * Lanes)]);
        var perLane = quarter / 8;
        ulong c0 = crcs[0], c1 = crcs[1], c2 = crcs[2], c3 = crcs[3];
        for (var i = 0; i < perLane; i++)
        {
            c0 = Word(c0, words[i]);
            c1 = Word(c1, words[perLane + i]);
            c2 = Word(c2, words[(2 * perLane) + i]);
            c3 = Word(c3, words[(3 * perLane) + i]);
        }

        crcs[0] = (uint)c0;
        crcs[1] = (uint)c1;
        crcs[2] = (uint)c2;
        crcs[3] = Bytes((uint)c3, image[(quarter * Lanes)..], hardware: true);
    }

    private static ulong Word(ulong crc, ulong word) =>
        Sse42.X64.IsSupported ? Sse42.X64.Crc32(crc, word) : Crc32.Arm64.ComputeCrc32C((uint)crc, word);

    private static uint Bytes(uint crc, ReadOnlySpan<byte> bytes, bool hardware)
    {
        foreach (var b in bytes)
        {
            crc = hardware && Sse42.IsSupported ? Sse42.Crc32(crc, b)
                : hardware && Crc32.IsSupported ? Crc32.ComputeCrc32C(crc, b)
                : Table[(byte)(crc ^ b)] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ Polynomial : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
