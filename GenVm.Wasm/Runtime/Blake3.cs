using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GenVm.Wasm.Runtime;

/// <summary>
/// Streaming BLAKE3 (unkeyed hash mode), used for the memory fingerprints of host-protocol.md §7.4 (BLAKE3-256 of each
/// linear memory, up to 4 GiB). Written from the BLAKE3 specification: 1 KiB chunks of 64-byte blocks, a binary tree
/// of parent nodes whose left subtrees are complete powers of two, 7-round compression, and an extendable output.
/// </summary>
/// <remarks>
/// A mutable value type so that hashing allocates nothing: keep it in a local and pass it by <c>ref</c>; a copy
/// forks the state. <c>default(Blake3)</c> is a valid empty hasher. Inputs longer than a span (a 4 GiB memory) are
/// appended in pieces; the result only depends on the concatenation. Bulk input is compressed eight chunks at a
/// time with AVX2 <see cref="Vector256{T}"/> lanes, else four with <see cref="Vector128{T}"/> (one chunk per lane);
/// the scalar compression handles partial chunks, parent nodes and the output.
/// </remarks>
public unsafe partial struct Blake3
{
    /// <summary>Length in bytes of the default (BLAKE3-256) output.</summary>
    public const int HashLength = 32;

    private const int BlockLen = 64;
    private const int ChunkLen = 1024;

    // Maximum tree depth for inputs below 2^64 bytes: 2^64 / 2^10 chunks → 54 stacked subtree CVs.
    private const int MaxStackDepth = 54;

    private const uint ChunkStart = 1;
    private const uint ChunkEnd = 2;
    private const uint ParentFlag = 4;
    private const uint RootFlag = 8;

    private const uint Iv0 = 0x6A09E667, Iv1 = 0xBB67AE85, Iv2 = 0x3C6EF372, Iv3 = 0xA54FF53A;
    private const uint Iv4 = 0x510E527F, Iv5 = 0x9B05688C, Iv6 = 0x1F83D9AB, Iv7 = 0x5BE0CD19;

    // Message word order per round: round r uses the permutation [2,6,3,10,7,0,4,13,1,11,12,5,9,14,15,8] applied r
    // times to the identity. Precomputed so no message shuffling happens at run time.
    private static ReadOnlySpan<byte> Schedule =>
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8,
        3, 4, 10, 12, 13, 2, 7, 14, 6, 5, 9, 0, 11, 15, 8, 1,
        10, 7, 12, 9, 14, 3, 13, 15, 4, 0, 11, 2, 5, 8, 1, 6,
        12, 13, 9, 11, 15, 10, 14, 8, 7, 2, 5, 3, 0, 1, 6, 4,
        9, 14, 11, 5, 8, 12, 15, 1, 13, 3, 0, 10, 2, 6, 4, 7,
        11, 15, 5, 0, 1, 9, 8, 6, 14, 10, 2, 12, 3, 4, 7, 13,
    ];

    private fixed uint _cv[8];                  // chaining value of the chunk being filled
    private fixed byte _block[BlockLen];        // the not yet compressed block of that chunk
    private fixed uint _stack[MaxStackDepth * 8]; // CVs of completed subtrees, largest first
    private ulong _chunkCounter;                // index of the chunk being filled
    private int _blockLen;                      // bytes in _block
    private int _blocksCompressed;              // blocks of the current chunk already compressed
    private int _stackLen;
    private bool _initialized;

    /// <summary>Hashes <paramref name="input"/> in one call; writes <c>output.Length</c> bytes of output.</summary>
    public static void Hash(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var hasher = default(Blake3);
        hasher.Append(input);
        hasher.Finalize(output);
    }

    /// <summary>Returns the hasher to the empty state.</summary>
    public void Reset()
    {
        SetIv(ref _cv[0]);
        _chunkCounter = 0;
        _blockLen = 0;
        _blocksCompressed = 0;
        _stackLen = 0;
        _initialized = true;
    }

    /// <summary>Feeds more input. May be called any number of times with spans of any length.</summary>
    public void Append(ReadOnlySpan<byte> input)
    {
        if (!_initialized)
        {
            Reset();
        }

        while (!input.IsEmpty)
        {
            // A full chunk is only closed once more input proves it is not the root (the last chunk of a one-chunk
            // input is finalised with the ROOT flag instead).
            if (_blocksCompressed * BlockLen + _blockLen == ChunkLen)
            {
                CloseChunk();
            }

            // Bulk path: at a chunk boundary with more than one batch of chunks left (see AppendChunkBatches).
            if (_blocksCompressed == 0 && _blockLen == 0 && input.Length > 8 * ChunkLen &&
                Vector128.IsHardwareAccelerated)
            {
                input = AppendChunkBatches(input);
                continue;
            }

            if (_blockLen == BlockLen)
            {
                CompressChunkBlock(MemoryMarshal.CreateReadOnlySpan(ref _block[0], BlockLen));
                _blockLen = 0;
            }

            // Whole blocks straight from the input while more input follows and the chunk has room for them.
            while (_blockLen == 0 && input.Length > BlockLen && _blocksCompressed < ChunkLen / BlockLen - 1)
            {
                CompressChunkBlock(input[..BlockLen]);
                input = input[BlockLen..];
            }

            var room = Math.Min(BlockLen - _blockLen, ChunkLen - (_blocksCompressed * BlockLen) - _blockLen);
            var take = Math.Min(room, input.Length);
            input[..take].CopyTo(MemoryMarshal.CreateSpan(ref _block[_blockLen], take));
            _blockLen += take;
            input = input[take..];
        }
    }

    // Hashes whole batches of chunks (8 per step with AVX2, else 4) while more than one batch of input remains, so
    // that none of them can be the last chunk; returns the rest.
    private ReadOnlySpan<byte> AppendChunkBatches(ReadOnlySpan<byte> input)
    {
        Span<uint> cvs = stackalloc uint[8 * 8];
        var wide = Avx2.IsSupported && BitConverter.IsLittleEndian;
        var batch = wide ? 8 : 4;
        do
        {
            if (wide)
            {
                HashEightChunks(input[..(8 * ChunkLen)], _chunkCounter, cvs);
            }
            else
            {
                HashFourChunks(input[..(4 * ChunkLen)], _chunkCounter, cvs);
            }

            for (var i = 0; i < batch; i++)
            {
                PushChunkCv(cvs.Slice(i * 8, 8), _chunkCounter + 1);
                _chunkCounter++;
            }

            input = input[(batch * ChunkLen)..];
        }
        while (input.Length > batch * ChunkLen);

        return input;
    }

    /// <summary>
    /// Writes <c>output.Length</c> bytes of output (32 for BLAKE3-256; longer outputs use the extendable-output
    /// mode). Does not change the state, so more input may follow.
    /// </summary>
    public readonly void Finalize(Span<byte> output)
    {
        Span<uint> inputCv = stackalloc uint[8];
        Span<uint> words = stackalloc uint[16];
        Span<uint> outWords = stackalloc uint[16];
        ulong counter;
        uint blockLen;
        uint flags;

        fixed (uint* cv = _cv)
        fixed (byte* block = _block)
        fixed (uint* stack = _stack)
        {
            if (!_initialized)
            {
                SetIv(ref inputCv[0]);
                words.Clear();
                counter = 0;
                blockLen = 0;
                flags = ChunkStart | ChunkEnd;
            }
            else
            {
                new ReadOnlySpan<uint>(cv, 8).CopyTo(inputCv);
                Span<byte> padded = stackalloc byte[BlockLen];
                padded.Clear();
                new ReadOnlySpan<byte>(block, _blockLen).CopyTo(padded);
                LoadWords(padded, words);
                counter = _chunkCounter;
                blockLen = (uint)_blockLen;
                flags = ChunkEnd | (_blocksCompressed == 0 ? ChunkStart : 0);
            }

            // Fold the stack from the most recent subtree down; each step turns the pending output node into the
            // right child of a parent node.
            for (var i = _stackLen - 1; i >= 0; i--)
            {
                Compress(inputCv, words, counter, blockLen, flags, outWords);
                new ReadOnlySpan<uint>(stack + (i * 8), 8).CopyTo(words);
                outWords[..8].CopyTo(words[8..]);
                SetIv(ref inputCv[0]);
                counter = 0;
                blockLen = BlockLen;
                flags = ParentFlag;
            }
        }

        // Root output: the counter numbers the 64-byte output blocks.
        ulong outputBlock = 0;
        Span<byte> outBytes = stackalloc byte[BlockLen];
        while (!output.IsEmpty)
        {
            Compress(inputCv, words, outputBlock++, blockLen, flags | RootFlag, outWords);
            for (var i = 0; i < 16; i++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(outBytes[(i * 4)..], outWords[i]);
            }

            var n = Math.Min(BlockLen, output.Length);
            outBytes[..n].CopyTo(output);
            output = output[n..];
        }
    }

    private void CompressChunkBlock(ReadOnlySpan<byte> block)
    {
        Span<uint> words = stackalloc uint[16];
        Span<uint> outWords = stackalloc uint[16];
        LoadWords(block, words);
        var cv = MemoryMarshal.CreateSpan(ref _cv[0], 8);
        Compress(cv, words, _chunkCounter, BlockLen, _blocksCompressed == 0 ? ChunkStart : 0, outWords);
        outWords[..8].CopyTo(cv);
        _blocksCompressed++;
    }

    private void CloseChunk()
    {
        Span<uint> words = stackalloc uint[16];
        Span<uint> outWords = stackalloc uint[16];
        LoadWords(MemoryMarshal.CreateReadOnlySpan(ref _block[0], BlockLen), words);
        var cv = MemoryMarshal.CreateSpan(ref _cv[0], 8);
        Compress(cv, words, _chunkCounter, BlockLen, ChunkEnd | (_blocksCompressed == 0 ? ChunkStart : 0), outWords);
        PushChunkCv(outWords[..8], _chunkCounter + 1);
        _chunkCounter++;
        SetIv(ref _cv[0]);
        _blockLen = 0;
        _blocksCompressed = 0;
    }

    // Merges completed subtrees: after the n-th chunk, as many merges happen as n has trailing zero bits.
    private void PushChunkCv(ReadOnlySpan<uint> chunkCv, ulong totalChunks)
    {
        Span<uint> words = stackalloc uint[16];
        Span<uint> outWords = stackalloc uint[16];
        Span<uint> iv = stackalloc uint[8];
        SetIv(ref iv[0]);
        var stack = MemoryMarshal.CreateSpan(ref _stack[0], MaxStackDepth * 8);
        chunkCv.CopyTo(words[8..]);
        while ((totalChunks & 1) == 0)
        {
            _stackLen--;
            stack.Slice(_stackLen * 8, 8).CopyTo(words);
            Compress(iv, words, 0, BlockLen, ParentFlag, outWords);
            outWords[..8].CopyTo(words[8..]);
            totalChunks >>= 1;
        }

        words.Slice(8, 8).CopyTo(stack.Slice(_stackLen * 8, 8));
        _stackLen++;
    }

    private static void SetIv(ref uint cv)
    {
        Unsafe.Add(ref cv, 0) = Iv0;
        Unsafe.Add(ref cv, 1) = Iv1;
        Unsafe.Add(ref cv, 2) = Iv2;
        Unsafe.Add(ref cv, 3) = Iv3;
        Unsafe.Add(ref cv, 4) = Iv4;
        Unsafe.Add(ref cv, 5) = Iv5;
        Unsafe.Add(ref cv, 6) = Iv6;
        Unsafe.Add(ref cv, 7) = Iv7;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadWords(ReadOnlySpan<byte> block, Span<uint> words)
    {
        for (var i = 0; i < 16; i++)
        {
            words[i] = BinaryPrimitives.ReadUInt32LittleEndian(block[(i * 4)..]);
        }
    }

    /// <summary>
    /// The compression function: 16 output words (the first 8 are the new chaining value; all 16 are root output).
    /// </summary>
    internal static void Compress(
        ReadOnlySpan<uint> cv, ReadOnlySpan<uint> m, ulong counter, uint blockLen, uint flags, Span<uint> output)
    {
        uint v0 = cv[0], v1 = cv[1], v2 = cv[2], v3 = cv[3], v4 = cv[4], v5 = cv[5], v6 = cv[6], v7 = cv[7];
        uint v8 = Iv0, v9 = Iv1, v10 = Iv2, v11 = Iv3;
        uint v12 = (uint)counter, v13 = (uint)(counter >> 32), v14 = blockLen, v15 = flags;
        var s = Schedule;
        for (var r = 0; r < 7 * 16; r += 16)
        {
            // Columns, then diagonals.
            G(ref v0, ref v4, ref v8, ref v12, m[s[r + 0]], m[s[r + 1]]);
            G(ref v1, ref v5, ref v9, ref v13, m[s[r + 2]], m[s[r + 3]]);
            G(ref v2, ref v6, ref v10, ref v14, m[s[r + 4]], m[s[r + 5]]);
            G(ref v3, ref v7, ref v11, ref v15, m[s[r + 6]], m[s[r + 7]]);
            G(ref v0, ref v5, ref v10, ref v15, m[s[r + 8]], m[s[r + 9]]);
            G(ref v1, ref v6, ref v11, ref v12, m[s[r + 10]], m[s[r + 11]]);
            G(ref v2, ref v7, ref v8, ref v13, m[s[r + 12]], m[s[r + 13]]);
            G(ref v3, ref v4, ref v9, ref v14, m[s[r + 14]], m[s[r + 15]]);
        }

        output[0] = v0 ^ v8;
        output[1] = v1 ^ v9;
        output[2] = v2 ^ v10;
        output[3] = v3 ^ v11;
        output[4] = v4 ^ v12;
        output[5] = v5 ^ v13;
        output[6] = v6 ^ v14;
        output[7] = v7 ^ v15;
        output[8] = v8 ^ cv[0];
        output[9] = v9 ^ cv[1];
        output[10] = v10 ^ cv[2];
        output[11] = v11 ^ cv[3];
        output[12] = v12 ^ cv[4];
        output[13] = v13 ^ cv[5];
        output[14] = v14 ^ cv[6];
        output[15] = v15 ^ cv[7];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G(ref uint a, ref uint b, ref uint c, ref uint d, uint x, uint y)
    {
        a = a + b + x;
        d = uint.RotateRight(d ^ a, 16);
        c += d;
        b = uint.RotateRight(b ^ c, 12);
        a = a + b + y;
        d = uint.RotateRight(d ^ a, 8);
        c += d;
        b = uint.RotateRight(b ^ c, 7);
    }
}
