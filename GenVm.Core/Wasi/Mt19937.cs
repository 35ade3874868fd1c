namespace GenVm.Core.Wasi;

/// <summary>
/// The 32-bit Mersenne Twister MT19937 with the reference seeding procedure <c>init_by_array</c> (Matsumoto and
/// Nishimura, 2002). Used for <c>random_get</c> in deterministic VMs (wasm-abi.md §9.3).
/// </summary>
internal sealed class Mt19937
{
    private const int N = 624;
    private const int M = 397;
    private const uint MatrixA = 0x9908b0df;
    private const uint UpperMask = 0x80000000;
    private const uint LowerMask = 0x7fffffff;

    private readonly uint[] _state = new uint[N];
    private int _index;

    /// <summary>Seeds with <c>init_by_array(<paramref name="key"/>)</c>.</summary>
    public Mt19937(ReadOnlySpan<uint> key)
    {
        InitGenrand(19650218);
        int i = 1, j = 0;
        for (var k = Math.Max(N, key.Length); k > 0; k--)
        {
            _state[i] = (_state[i] ^ ((_state[i - 1] ^ (_state[i - 1] >> 30)) * 1664525u)) + key[j] + (uint)j;
            i++;
            j++;
            if (i >= N)
            {
                _state[0] = _state[N - 1];
                i = 1;
            }

            if (j >= key.Length)
            {
                j = 0;
            }
        }

        for (var k = N - 1; k > 0; k--)
        {
            _state[i] = (_state[i] ^ ((_state[i - 1] ^ (_state[i - 1] >> 30)) * 1566083941u)) - (uint)i;
            i++;
            if (i >= N)
            {
                _state[0] = _state[N - 1];
                i = 1;
            }
        }

        _state[0] = 0x80000000;
        _index = N;
    }

    /// <summary>The next 32-bit output.</summary>
    public uint Next()
    {
        if (_index >= N)
        {
            Twist();
        }

        var y = _state[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >> 18;
        return y;
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with successive outputs in little-endian order; a partial last word
    /// still consumes a whole output (wasm-abi.md §9.3: ⌈len/4⌉ outputs, unused tail bytes discarded).
    /// </summary>
    public void Fill(Span<byte> destination)
    {
        Span<byte> word = stackalloc byte[4];
        for (var offset = 0; offset < destination.Length; offset += 4)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(word, Next());
            var take = Math.Min(4, destination.Length - offset);
            word[..take].CopyTo(destination[offset..]);
        }
    }

    private void InitGenrand(uint seed)
    {
        _state[0] = seed;
        for (var i = 1; i < N; i++)
        {
            _state[i] = (1812433253u * (_state[i - 1] ^ (_state[i - 1] >> 30))) + (uint)i;
        }
    }

    private void Twist()
    {
        for (var k = 0; k < N; k++)
        {
            var y = (_state[k] & UpperMask) | (_state[(k + 1) % N] & LowerMask);
            _state[k] = _state[(k + M) % N] ^ (y >> 1) ^ ((y & 1) != 0 ? MatrixA : 0);
        }

        _index = 0;
    }
}
