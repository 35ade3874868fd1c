using GenVm.Core.Calldata;

namespace GenVm.Core.Host;

/// <summary>
/// Where and in which state a top-level VM failed (host-protocol.md §7.4): the wasm stack, innermost frame first,
/// and the BLAKE3-256 hash of every linear memory of every instance in the failing VM's store. The engine supplies
/// both; this type only orders and encodes them.
/// </summary>
internal sealed class Fingerprint
{
    /// <summary>The length of a memory hash (BLAKE3-256).</summary>
    public const int MemoryHashLength = 32;

    private readonly SortedDictionary<string, IReadOnlyList<byte[]>> _instances = new(StringComparer.Ordinal);

    /// <summary>
    /// Creates a fingerprint. Instances are given in store order; a later instance with the same module name
    /// overwrites an earlier one (§7.4).
    /// </summary>
    /// <exception cref="ArgumentException">A memory hash is not 32 octets.</exception>
    public Fingerprint(IEnumerable<FingerprintFrame> frames, IEnumerable<KeyValuePair<string, IReadOnlyList<byte[]>>> moduleInstances)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(moduleInstances);
        Frames = frames.ToArray();
        foreach (var (name, memories) in moduleInstances)
        {
            foreach (var hash in memories)
            {
                if (hash.Length != MemoryHashLength)
                {
                    throw new ArgumentException($"a memory hash is {MemoryHashLength} octets, got {hash.Length}", nameof(moduleInstances));
                }
            }

            _instances[name] = memories.ToArray();
        }
    }

    /// <summary>
    /// The fingerprint of failures before the contract starts (invalid contract, version too big, OOM while
    /// loading): empty <c>frames</c> and empty <c>module_instances</c> (§7.4).
    /// </summary>
    public static Fingerprint Empty { get; } = new([], []);

    /// <summary>The wasm stack at the failure, innermost frame first.</summary>
    public IReadOnlyList<FingerprintFrame> Frames { get; }

    /// <summary>Memory hashes per module name, in memory-index order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<byte[]>> ModuleInstances => _instances;

    /// <summary>
    /// The calldata form: <c>{"frames": [{"func": Number, "module_name": Str}, …],
    /// "module_instances": {name: {"memories": [Bytes, …]}, …}}</c>.
    /// </summary>
    public CalldataMap ToCalldata()
    {
        var frames = Frames.Select(f => (CalldataValue)CalldataValue.FromMap(
            ("func", CalldataValue.FromNumber(f.FunctionIndex)),
            ("module_name", CalldataValue.FromString(f.ModuleName))));
        var instances = _instances.Select(pair => new KeyValuePair<string, CalldataValue>(
            pair.Key,
            CalldataValue.FromMap(("memories", CalldataValue.FromArray(pair.Value.Select(h => (CalldataValue)CalldataValue.FromBytes(h)))))));
        return CalldataValue.FromMap(
            ("frames", CalldataValue.FromArray(frames)),
            ("module_instances", CalldataValue.FromMap(instances)));
    }
}
