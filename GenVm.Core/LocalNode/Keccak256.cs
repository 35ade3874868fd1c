namespace GenVm.Core.LocalNode;

/// <summary>
/// Keccak-256 (the original Keccak padding 0x01, not SHA3's 0x06; .NET has only SHA3) for the local node's
/// deployment addresses (python-sdk.md §12.3). Written from the Keccak reference (FIPS 202 permutation).
/// </summary>
internal static class Keccak256
{
    private const int Rate = 136;

    private static readonly ulong[] RoundConstants =
    [
        0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000, 0x000000000000808B,
        0x0000000080000001, 0x8000000080008081, 0x8000000000008009, 0x000000000000008A, 0x0000000000000088,
        0x0000000080008009, 0x000000008000000A, 0x000000008000808B, 0x800000000000008B, 0x8000000000008089,
        0x8000000000008003, 0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
        0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
    ];

    private static readonly int[] Rotations = [1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44];

    private static readonly int[] Lanes = [10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1];

    /// <summary>The 32-octet digest of <paramref name="data"/>.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var state = new ulong[25];
        var padded = new byte[(data.Length / Rate + 1) * Rate];
        data.CopyTo(padded);
        padded[data.Length] ^= 0x01;
        padded[^1] ^= 0x80;
        for (var block = 0; block < padded.Length; block += Rate)
        {
            for (var i = 0; i < Rate / 8; i++)
            {
                state[i] ^= BitConverter.ToUInt64(padded, block + (i * 8));
            }

            Permute(state);
        }

        var digest = new byte[32];
        for (var i = 0; i < 4; i++)
        {
            BitConverter.GetBytes(state[i]).CopyTo(digest, i * 8);
        }

        return digest;
    }

    private static void Permute(ulong[] a)
    {
        var c = new ulong[5];
        foreach (var constant in RoundConstants)
        {
            for (var x = 0; x < 5; x++)
            {
                c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
            }

            for (var x = 0; x < 5; x++)
            {
                var d = c[(x + 4) % 5] ^ ulong.RotateLeft(c[(x + 1) % 5], 1);
                for (var y = 0; y < 25; y += 5)
                {
                    a[y + x] ^= d;
                }
            }

            var current = a[1];
            for (var i = 0; i < 24; i++)
            {
                var lane = Lanes[i];
                var saved = a[lane];
                a[lane] = ulong.RotateLeft(current, Rotations[i]);
                current = saved;
            }

            for (var y = 0; y < 25; y += 5)
            {
                for (var x = 0; x < 5; x++)
                {
                    c[x] = a[y + x];
                }

                for (var x = 0; x < 5; x++)
                {
                    a[y + x] = c[x] ^ (~c[(x + 1) % 5] & c[(x + 2) % 5]);
                }
            }

            a[0] ^= constant;
        }
    }

    /// <summary>Lowercase hex of <see cref="Hash"/> of the UTF-8 of <paramref name="text"/> (event topics, selectors).</summary>
    public static string HexOf(string text) => Convert.ToHexStringLower(Hash(System.Text.Encoding.UTF8.GetBytes(text)));
}
