using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GenVm.Wasm.Runtime;

// The multi-chunk kernels: N whole chunks hashed at once, one per vector lane (4 with Vector128, 8 with AVX2's
// Vector256). Each lane runs exactly the scalar compression of Blake3.cs; only the data layout differs.
public partial struct Blake3
{
    /// <summary>
    /// Hashes 4 consecutive whole chunks (4 KiB, none of them the root) in parallel, one chunk per vector lane, and
    /// writes their chaining values (8 words each) to <paramref name="cvs"/>.
    /// </summary>
    internal static void HashFourChunks(ReadOnlySpan<byte> input, ulong firstCounter, Span<uint> cvs)
    {
        if (input.Length < 4 * ChunkLen || cvs.Length < 4 * 8)
        {
            throw new ArgumentException("4 whole chunks and room for 4 chaining values expected");
        }

        var h0 = Vector128.Create(Iv0);
        var h1 = Vector128.Create(Iv1);
        var h2 = Vector128.Create(Iv2);
        var h3 = Vector128.Create(Iv3);
        var h4 = Vector128.Create(Iv4);
        var h5 = Vector128.Create(Iv5);
        var h6 = Vector128.Create(Iv6);
        var h7 = Vector128.Create(Iv7);
        // Lane i counts chunk firstCounter + i; a lane whose low word wrapped carries into its high word (the
        // all-ones compare mask is -1, so subtracting it adds one).
        var counterLo = Vector128.Create((uint)firstCounter) + Vector128<uint>.Indices;
        var counterHi = Vector128.Create((uint)(firstCounter >> 32)) -
            Vector128.LessThan(counterLo, Vector128.Create((uint)firstCounter));
        var blockLen = Vector128.Create((uint)BlockLen);
        ref var chunk0 = ref MemoryMarshal.GetReference(input);

        for (var offset = 0; offset < ChunkLen; offset += BlockLen)
        {
            // Transpose: lane i of message word w is word w of this block in chunk i.
            LoadTransposed(ref Unsafe.Add(ref chunk0, offset), out var m0, out var m1, out var m2, out var m3);
            LoadTransposed(ref Unsafe.Add(ref chunk0, offset + 16), out var m4, out var m5, out var m6, out var m7);
            LoadTransposed(ref Unsafe.Add(ref chunk0, offset + 32), out var m8, out var m9, out var m10, out var m11);
            LoadTransposed(ref Unsafe.Add(ref chunk0, offset + 48), out var m12, out var m13, out var m14, out var m15);

            var flags = (offset == 0 ? ChunkStart : 0) | (offset == ChunkLen - BlockLen ? ChunkEnd : 0);
            Vector128<uint> v0 = h0, v1 = h1, v2 = h2, v3 = h3, v4 = h4, v5 = h5, v6 = h6, v7 = h7;
            var v8 = Vector128.Create(Iv0);
            var v9 = Vector128.Create(Iv1);
            var v10 = Vector128.Create(Iv2);
            var v11 = Vector128.Create(Iv3);
            var v12 = counterLo;
            var v13 = counterHi;
            var v14 = blockLen;
            var v15 = Vector128.Create(flags);

            // Seven rounds, unrolled, with the message permutation applied at compile time (see Schedule).
            // Round 1.
            G4(ref v0, ref v4, ref v8, ref v12, m0, m1);
            G4(ref v1, ref v5, ref v9, ref v13, m2, m3);
            G4(ref v2, ref v6, ref v10, ref v14, m4, m5);
            G4(ref v3, ref v7, ref v11, ref v15, m6, m7);
            G4(ref v0, ref v5, ref v10, ref v15, m8, m9);
            G4(ref v1, ref v6, ref v11, ref v12, m10, m11);
            G4(ref v2, ref v7, ref v8, ref v13, m12, m13);
            G4(ref v3, ref v4, ref v9, ref v14, m14, m15);
            // Round 2.
            G4(ref v0, ref v4, ref v8, ref v12, m2, m6);
            G4(ref v1, ref v5, ref v9, ref v13, m3, m10);
            G4(ref v2, ref v6, ref v10, ref v14, m7, m0);
            G4(ref v3, ref v7, ref v11, ref v15, m4, m13);
            G4(ref v0, ref v5, ref v10, ref v15, m1, m11);
            G4(ref v1, ref v6, ref v11, ref v12, m12, m5);
            G4(ref v2, ref v7, ref v8, ref v13, m9, m14);
            G4(ref v3, ref v4, ref v9, ref v14, m15, m8);
            // Round 3.
            G4(ref v0, ref v4, ref v8, ref v12, m3, m4);
            G4(ref v1, ref v5, ref v9, ref v13, m10, m12);
            G4(ref v2, ref v6, ref v10, ref v14, m13, m2);
            G4(ref v3, ref v7, ref v11, ref v15, m7, m14);
            G4(ref v0, ref v5, ref v10, ref v15, m6, m5);
            G4(ref v1, ref v6, ref v11, ref v12, m9, m0);
            G4(ref v2, ref v7, ref v8, ref v13, m11, m15);
            G4(ref v3, ref v4, ref v9, ref v14, m8, m1);
            // Round 4.
            G4(ref v0, ref v4, ref v8, ref v12, m10, m7);
            G4(ref v1, ref v5, ref v9, ref v13, m12, m9);
            G4(ref v2, ref v6, ref v10, ref v14, m14, m3);
            G4(ref v3, ref v7, ref v11, ref v15, m13, m15);
            G4(ref v0, ref v5, ref v10, ref v15, m4, m0);
            G4(ref v1, ref v6, ref v11, ref v12, m11, m2);
            G4(ref v2, ref v7, ref v8, ref v13, m5, m8);
            G4(ref v3, ref v4, ref v9, ref v14, m1, m6);
            // Round 5.
            G4(ref v0, ref v4, ref v8, ref v12, m12, m13);
            G4(ref v1, ref v5, ref v9, ref v13, m9, m11);
            G4(ref v2, ref v6, ref v10, ref v14, m15, m10);
            G4(ref v3, ref v7, ref v11, ref v15, m14, m8);
            G4(ref v0, ref v5, ref v10, ref v15, m7, m2);
            G4(ref v1, ref v6, ref v11, ref v12, m5, m3);
            G4(ref v2, ref v7, ref v8, ref v13, m0, m1);
            G4(ref v3, ref v4, ref v9, ref v14, m6, m4);
            // Round 6.
            G4(ref v0, ref v4, ref v8, ref v12, m9, m14);
            G4(ref v1, ref v5, ref v9, ref v13, m11, m5);
            G4(ref v2, ref v6, ref v10, ref v14, m8, m12);
            G4(ref v3, ref v7, ref v11, ref v15, m15, m1);
            G4(ref v0, ref v5, ref v10, ref v15, m13, m3);
            G4(ref v1, ref v6, ref v11, ref v12, m0, m10);
            G4(ref v2, ref v7, ref v8, ref v13, m2, m6);
            G4(ref v3, ref v4, ref v9, ref v14, m4, m7);
            // Round 7.
            G4(ref v0, ref v4, ref v8, ref v12, m11, m15);
            G4(ref v1, ref v5, ref v9, ref v13, m5, m0);
            G4(ref v2, ref v6, ref v10, ref v14, m1, m9);
            G4(ref v3, ref v7, ref v11, ref v15, m8, m6);
            G4(ref v0, ref v5, ref v10, ref v15, m14, m10);
            G4(ref v1, ref v6, ref v11, ref v12, m2, m12);
            G4(ref v2, ref v7, ref v8, ref v13, m3, m4);
            G4(ref v3, ref v4, ref v9, ref v14, m7, m13);

            h0 = v0 ^ v8;
            h1 = v1 ^ v9;
            h2 = v2 ^ v10;
            h3 = v3 ^ v11;
            h4 = v4 ^ v12;
            h5 = v5 ^ v13;
            h6 = v6 ^ v14;
            h7 = v7 ^ v15;
        }

        // Transpose back: chunk i's CV is lane i of h0..h7.
        for (var i = 0; i < 4; i++)
        {
            var o = i * 8;
            cvs[o + 0] = h0.GetElement(i);
            cvs[o + 1] = h1.GetElement(i);
            cvs[o + 2] = h2.GetElement(i);
            cvs[o + 3] = h3.GetElement(i);
            cvs[o + 4] = h4.GetElement(i);
            cvs[o + 5] = h5.GetElement(i);
            cvs[o + 6] = h6.GetElement(i);
            cvs[o + 7] = h7.GetElement(i);
        }
    }

    /// <summary>
    /// Hashes 8 consecutive whole chunks (8 KiB, none of them the root) in parallel, one chunk per vector lane, and
    /// writes their chaining values (8 words each) to <paramref name="cvs"/>.
    /// </summary>
    internal static void HashEightChunks(ReadOnlySpan<byte> input, ulong firstCounter, Span<uint> cvs)
    {
        if (input.Length < 8 * ChunkLen || cvs.Length < 8 * 8)
        {
            throw new ArgumentException("8 whole chunks and room for 8 chaining values expected");
        }

        var h0 = Vector256.Create(Iv0);
        var h1 = Vector256.Create(Iv1);
        var h2 = Vector256.Create(Iv2);
        var h3 = Vector256.Create(Iv3);
        var h4 = Vector256.Create(Iv4);
        var h5 = Vector256.Create(Iv5);
        var h6 = Vector256.Create(Iv6);
        var h7 = Vector256.Create(Iv7);
        // Lane i counts chunk firstCounter + i; a lane whose low word wrapped carries into its high word (the
        // all-ones compare mask is -1, so subtracting it adds one).
        var counterLo = Vector256.Create((uint)firstCounter) + Vector256<uint>.Indices;
        var counterHi = Vector256.Create((uint)(firstCounter >> 32)) -
            Vector256.LessThan(counterLo, Vector256.Create((uint)firstCounter));
        var blockLen = Vector256.Create((uint)BlockLen);
        ref var chunk0 = ref MemoryMarshal.GetReference(input);

        for (var offset = 0; offset < ChunkLen; offset += BlockLen)
        {
            // Transpose: lane i of message word w is word w of this block in chunk i.
            LoadTransposed8(
                ref Unsafe.Add(ref chunk0, offset + 0),
                out var m0, out var m1, out var m2, out var m3,
                out var m4, out var m5, out var m6, out var m7);
            LoadTransposed8(
                ref Unsafe.Add(ref chunk0, offset + 32),
                out var m8, out var m9, out var m10, out var m11,
                out var m12, out var m13, out var m14, out var m15);

            var flags = (offset == 0 ? ChunkStart : 0) | (offset == ChunkLen - BlockLen ? ChunkEnd : 0);
            Vector256<uint> v0 = h0, v1 = h1, v2 = h2, v3 = h3, v4 = h4, v5 = h5, v6 = h6, v7 = h7;
            var v8 = Vector256.Create(Iv0);
            var v9 = Vector256.Create(Iv1);
            var v10 = Vector256.Create(Iv2);
            var v11 = Vector256.Create(Iv3);
            var v12 = counterLo;
            var v13 = counterHi;
            var v14 = blockLen;
            var v15 = Vector256.Create(flags);

            // Seven rounds, unrolled, with the message permutation applied at compile time (see Schedule).
            // Round 1.
            G8(ref v0, ref v4, ref v8, ref v12, m0, m1);
            G8(ref v1, ref v5, ref v9, ref v13, m2, m3);
            G8(ref v2, ref v6, ref v10, ref v14, m4, m5);
            G8(ref v3, ref v7, ref v11, ref v15, m6, m7);
            G8(ref v0, ref v5, ref v10, ref v15, m8, m9);
            G8(ref v1, ref v6, ref v11, ref v12, m10, m11);
            G8(ref v2, ref v7, ref v8, ref v13, m12, m13);
            G8(ref v3, ref v4, ref v9, ref v14, m14, m15);
            // Round 2.
            G8(ref v0, ref v4, ref v8, ref v12, m2, m6);
            G8(ref v1, ref v5, ref v9, ref v13, m3, m10);
            G8(ref v2, ref v6, ref v10, ref v14, m7, m0);
            G8(ref v3, ref v7, ref v11, ref v15, m4, m13);
            G8(ref v0, ref v5, ref v10, ref v15, m1, m11);
            G8(ref v1, ref v6, ref v11, ref v12, m12, m5);
            G8(ref v2, ref v7, ref v8, ref v13, m9, m14);
            G8(ref v3, ref v4, ref v9, ref v14, m15, m8);
            // Round 3.
            G8(ref v0, ref v4, ref v8, ref v12, m3, m4);
            G8(ref v1, ref v5, ref v9, ref v13, m10, m12);
            G8(ref v2, ref v6, ref v10, ref v14, m13, m2);
            G8(ref v3, ref v7, ref v11, ref v15, m7, m14);
            G8(ref v0, ref v5, ref v10, ref v15, m6, m5);
            G8(ref v1, ref v6, ref v11, ref v12, m9, m0);
            G8(ref v2, ref v7, ref v8, ref v13, m11, m15);
            G8(ref v3, ref v4, ref v9, ref v14, m8, m1);
            // Round 4.
            G8(ref v0, ref v4, ref v8, ref v12, m10, m7);
            G8(ref v1, ref v5, ref v9, ref v13, m12, m9);
            G8(ref v2, ref v6, ref v10, ref v14, m14, m3);
            G8(ref v3, ref v7, ref v11, ref v15, m13, m15);
            G8(ref v0, ref v5, ref v10, ref v15, m4, m0);
            G8(ref v1, ref v6, ref v11, ref v12, m11, m2);
            G8(ref v2, ref v7, ref v8, ref v13, m5, m8);
            G8(ref v3, ref v4, ref v9, ref v14, m1, m6);
            // Round 5.
            G8(ref v0, ref v4, ref v8, ref v12, m12, m13);
            G8(ref v1, ref v5, ref v9, ref v13, m9, m11);
            G8(ref v2, ref v6, ref v10, ref v14, m15, m10);
            G8(ref v3, ref v7, ref v11, ref v15, m14, m8);
            G8(ref v0, ref v5, ref v10, ref v15, m7, m2);
            G8(ref v1, ref v6, ref v11, ref v12, m5, m3);
            G8(ref v2, ref v7, ref v8, ref v13, m0, m1);
            G8(ref v3, ref v4, ref v9, ref v14, m6, m4);
            // Round 6.
            G8(ref v0, ref v4, ref v8, ref v12, m9, m14);
            G8(ref v1, ref v5, ref v9, ref v13, m11, m5);
            G8(ref v2, ref v6, ref v10, ref v14, m8, m12);
            G8(ref v3, ref v7, ref v11, ref v15, m15, m1);
            G8(ref v0, ref v5, ref v10, ref v15, m13, m3);
            G8(ref v1, ref v6, ref v11, ref v12, m0, m10);
            G8(ref v2, ref v7, ref v8, ref v13, m2, m6);
            G8(ref v3, ref v4, ref v9, ref v14, m4, m7);
            // Round 7.
            G8(ref v0, ref v4, ref v8, ref v12, m11, m15);
            G8(ref v1, ref v5, ref v9, ref v13, m5, m0);
            G8(ref v2, ref v6, ref v10, ref v14, m1, m9);
            G8(ref v3, ref v7, ref v11, ref v15, m8, m6);
            G8(ref v0, ref v5, ref v10, ref v15, m14, m10);
            G8(ref v1, ref v6, ref v11, ref v12, m2, m12);
            G8(ref v2, ref v7, ref v8, ref v13, m3, m4);
            G8(ref v3, ref v4, ref v9, ref v14, m7, m13);

            h0 = v0 ^ v8;
            h1 = v1 ^ v9;
            h2 = v2 ^ v10;
            h3 = v3 ^ v11;
            h4 = v4 ^ v12;
            h5 = v5 ^ v13;
            h6 = v6 ^ v14;
            h7 = v7 ^ v15;
        }

        // Transpose back: chunk i's CV is lane i of h0..h7, which is row i of the transposed matrix.
        Transpose8(ref h0, ref h1, ref h2, ref h3, ref h4, ref h5, ref h6, ref h7);
        ref var cv = ref MemoryMarshal.GetReference(cvs);
        h0.StoreUnsafe(ref cv, 0);
        h1.StoreUnsafe(ref cv, 8);
        h2.StoreUnsafe(ref cv, 16);
        h3.StoreUnsafe(ref cv, 24);
        h4.StoreUnsafe(ref cv, 32);
        h5.StoreUnsafe(ref cv, 40);
        h6.StoreUnsafe(ref cv, 48);
        h7.StoreUnsafe(ref cv, 56);
    }

    // Reads 16 bytes at the same offset of each of the four chunks and transposes the 4x4 word matrix, so that
    // result j holds word j of the four chunks.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadTransposed(
        ref byte at, out Vector128<uint> c0, out Vector128<uint> c1, out Vector128<uint> c2, out Vector128<uint> c3)
    {
        if (Sse2.IsSupported && BitConverter.IsLittleEndian)
        {
            var r0 = Vector128.LoadUnsafe(ref at).AsUInt32();
            var r1 = Vector128.LoadUnsafe(ref Unsafe.Add(ref at, ChunkLen)).AsUInt32();
            var r2 = Vector128.LoadUnsafe(ref Unsafe.Add(ref at, 2 * ChunkLen)).AsUInt32();
            var r3 = Vector128.LoadUnsafe(ref Unsafe.Add(ref at, 3 * ChunkLen)).AsUInt32();
            var t0 = Sse2.UnpackLow(r0, r1).AsUInt64();
            var t1 = Sse2.UnpackLow(r2, r3).AsUInt64();
            var t2 = Sse2.UnpackHigh(r0, r1).AsUInt64();
            var t3 = Sse2.UnpackHigh(r2, r3).AsUInt64();
            c0 = Sse2.UnpackLow(t0, t1).AsUInt32();
            c1 = Sse2.UnpackHigh(t0, t1).AsUInt32();
            c2 = Sse2.UnpackLow(t2, t3).AsUInt32();
            c3 = Sse2.UnpackHigh(t2, t3).AsUInt32();
            return;
        }

        c0 = Column(ref at, 0);
        c1 = Column(ref at, 4);
        c2 = Column(ref at, 8);
        c3 = Column(ref at, 12);
    }

    private static Vector128<uint> Column(ref byte at, int offset) => Vector128.Create(
        BinaryPrimitives.ReadUInt32LittleEndian(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref at, offset), 4)),
        BinaryPrimitives.ReadUInt32LittleEndian(
            MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref at, offset + ChunkLen), 4)),
        BinaryPrimitives.ReadUInt32LittleEndian(
            MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref at, offset + (2 * ChunkLen)), 4)),
        BinaryPrimitives.ReadUInt32LittleEndian(
            MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref at, offset + (3 * ChunkLen)), 4)));

    // Reads 32 bytes at the same offset of each of the eight chunks and transposes the 8x8 word matrix, so that
    // result j holds word j of the eight chunks.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadTransposed8(
        ref byte at, out Vector256<uint> c0, out Vector256<uint> c1, out Vector256<uint> c2, out Vector256<uint> c3,
        out Vector256<uint> c4, out Vector256<uint> c5, out Vector256<uint> c6, out Vector256<uint> c7)
    {
        c0 = Vector256.LoadUnsafe(ref at).AsUInt32();
        c1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref at, ChunkLen)).AsUInt32();
        c2 = Vector256.LoadUnsafe(ref Unsafe.Add(ref at, 2 * ChunkLen)).AsUInt32();
        c3 = Vector256.LoadUnsafe(ref Unsafe.Add(ref at, 3 * ChunkLen)).AsUInt32();
        c4 = Vector256.LoadUnsafe(ref Unsafe.Add(ref at, 4 * ChunkLen)).AsUInt32();
        c5 = Vector256.LoadUnsafe(ref Unsafe.Add(ref at, 5 * ChunkLen)).AsUInt32();
        c6 = Vector256.LoadUnsafe(ref Unsafe.Add(ref at, 6 * ChunkLen)).AsUInt32();
        c7 = Vector256.LoadUnsafe(ref Unsafe.Add(ref at, 7 * ChunkLen)).AsUInt32();
        Transpose8(ref c0, ref c1, ref c2, ref c3, ref c4, ref c5, ref c6, ref c7);
    }

    // In-place 8x8 transpose of 32-bit words: interleave words within 128-bit halves, then 64-bit pairs, then swap
    // the halves across registers.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8(
        ref Vector256<uint> r0, ref Vector256<uint> r1, ref Vector256<uint> r2, ref Vector256<uint> r3,
        ref Vector256<uint> r4, ref Vector256<uint> r5, ref Vector256<uint> r6, ref Vector256<uint> r7)
    {
        var t0 = Avx2.UnpackLow(r0, r1).AsUInt64();
        var t1 = Avx2.UnpackHigh(r0, r1).AsUInt64();
        var t2 = Avx2.UnpackLow(r2, r3).AsUInt64();
        var t3 = Avx2.UnpackHigh(r2, r3).AsUInt64();
        var t4 = Avx2.UnpackLow(r4, r5).AsUInt64();
        var t5 = Avx2.UnpackHigh(r4, r5).AsUInt64();
        var t6 = Avx2.UnpackLow(r6, r7).AsUInt64();
        var t7 = Avx2.UnpackHigh(r6, r7).AsUInt64();
        var u0 = Avx2.UnpackLow(t0, t2).AsUInt32();
        var u1 = Avx2.UnpackHigh(t0, t2).AsUInt32();
        var u2 = Avx2.UnpackLow(t1, t3).AsUInt32();
        var u3 = Avx2.UnpackHigh(t1, t3).AsUInt32();
        var u4 = Avx2.UnpackLow(t4, t6).AsUInt32();
        var u5 = Avx2.UnpackHigh(t4, t6).AsUInt32();
        var u6 = Avx2.UnpackLow(t5, t7).AsUInt32();
        var u7 = Avx2.UnpackHigh(t5, t7).AsUInt32();
        r0 = Avx2.Permute2x128(u0, u4, 0x20);
        r1 = Avx2.Permute2x128(u1, u5, 0x20);
        r2 = Avx2.Permute2x128(u2, u6, 0x20);
        r3 = Avx2.Permute2x128(u3, u7, 0x20);
        r4 = Avx2.Permute2x128(u0, u4, 0x31);
        r5 = Avx2.Permute2x128(u1, u5, 0x31);
        r6 = Avx2.Permute2x128(u2, u6, 0x31);
        r7 = Avx2.Permute2x128(u3, u7, 0x31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G4(
        ref Vector128<uint> a, ref Vector128<uint> b, ref Vector128<uint> c, ref Vector128<uint> d,
        Vector128<uint> x, Vector128<uint> y)
    {
        a = a + b + x;
        d = Rotate16(d ^ a);
        c += d;
        b = Vector128.ShiftRightLogical(b ^ c, 12) | Vector128.ShiftLeft(b ^ c, 20);
        a = a + b + y;
        d = Rotate8(d ^ a);
        c += d;
        b = Vector128.ShiftRightLogical(b ^ c, 7) | Vector128.ShiftLeft(b ^ c, 25);
    }

    // Rotations by whole bytes are one byte shuffle (pshufb) instead of two shifts and an or.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Rotate16(Vector128<uint> x) =>
        Vector128.Shuffle(x.AsByte(), Vector128.Create(
            (byte)2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13)).AsUInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Rotate8(Vector128<uint> x) =>
        Vector128.Shuffle(x.AsByte(), Vector128.Create(
            (byte)1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12)).AsUInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G8(
        ref Vector256<uint> a, ref Vector256<uint> b, ref Vector256<uint> c, ref Vector256<uint> d,
        Vector256<uint> x, Vector256<uint> y)
    {
        a = a + b + x;
        d = Rotate16(d ^ a);
        c += d;
        b = Vector256.ShiftRightLogical(b ^ c, 12) | Vector256.ShiftLeft(b ^ c, 20);
        a = a + b + y;
        d = Rotate8(d ^ a);
        c += d;
        b = Vector256.ShiftRightLogical(b ^ c, 7) | Vector256.ShiftLeft(b ^ c, 25);
    }

    // Rotations by whole bytes are one byte shuffle (pshufb) instead of two shifts and an or.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Rotate16(Vector256<uint> x) =>
        Vector256.Shuffle(x.AsByte(), Vector256.Create(
            (byte)2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13,
            18, 19, 16, 17, 22, 23, 20, 21, 26, 27, 24, 25, 30, 31, 28, 29)).AsUInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Rotate8(Vector256<uint> x) =>
        Vector256.Shuffle(x.AsByte(), Vector256.Create(
            (byte)1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12,
            17, 18, 19, 16, 21, 22, 23, 20, 25, 26, 27, 24, 29, 30, 31, 28)).AsUInt32();
}
