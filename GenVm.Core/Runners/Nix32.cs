using System.Security.Cryptography;

namespace GenVm.Core.Runners;

/// <summary>Nix's base-32 rendering of digests (runners.md §5), used for runner hashes <c>nix32(sha256(tar))</c>.</summary>
internal static class Nix32
{
    // No e, o, t, u (runners.md §5).
    private const string Alphabet = "0123456789abcdfghijklmnpqrsvwxyz";

    /// <summary>Renders <paramref name="digest"/>: <c>⌊(8n − 1)/5⌋ + 1</c> characters, most significant group first.</summary>
    public static string Encode(ReadOnlySpan<byte> digest)
    {
        if (digest.IsEmpty)
        {
            return string.Empty;
        }

        var n = digest.Length;
        var length = ((8 * n) - 1) / 5 + 1;
        var chars = new char[length];
        for (var k = length - 1; k >= 0; k--)
        {
            var b = 5 * k;
            var i = b / 8;
            var j = b % 8;
            var c = digest[i] >> j;
            if (i + 1 < n)
            {
                c |= digest[i + 1] << (8 - j);
            }

            chars[length - 1 - k] = Alphabet[c & 31];
        }

        return new string(chars);
    }

    /// <summary>The runner hash of a tar: nix32 of its SHA-256.</summary>
    public static string RunnerHash(ReadOnlySpan<byte> tar) => Encode(SHA256.HashData(tar));
}
