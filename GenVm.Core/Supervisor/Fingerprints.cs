using GenVm.Core.Host;
using GenVm.Wasm;
using GenVm.Wasm.Runtime;

namespace GenVm.Core.Supervisor;

/// <summary>Builds the error fingerprint of host-protocol.md §7.4 from a trap's frames and the VM's instance.</summary>
internal static class Fingerprints
{
    /// <summary>
    /// Frames innermost first, plus BLAKE3-256 of each instance's memory, keyed by module name (a later instance with
    /// an equal name overwrites an earlier one, §7.4).
    /// </summary>
    public static Fingerprint Capture(IReadOnlyList<WasmFrame> frames, IReadOnlyList<Instance> all)
    {
        var fingerprintFrames = frames.Select(f => new FingerprintFrame(f.FunctionIndex, f.ModuleName ?? string.Empty));
        var byName = new Dictionary<string, IReadOnlyList<byte[]>>(StringComparer.Ordinal);
        foreach (var instance in all)
        {
            var memories = new List<byte[]>();
            if (instance.DefaultMemory is { } memory)
            {
                memories.Add(Hash(memory));
            }

            byName[instance.Module.Name ?? string.Empty] = memories;
        }

        return new Fingerprint(fingerprintFrames, byName.ToList());
    }

    private static byte[] Hash(Memory memory)
    {
        var hasher = default(Blake3);
        const int Chunk = 1 << 30;
        for (long offset = 0; offset < memory.ByteLength; offset += Chunk)
        {
            var length = (ulong)Math.Min(Chunk, memory.ByteLength - offset);
            if (memory.TryGetSpan((ulong)offset, length, out var span))
            {
                hasher.Append(span);
            }
        }

        var digest = new byte[Blake3.HashLength];
        hasher.Finalize(digest);
        return digest;
    }
}
