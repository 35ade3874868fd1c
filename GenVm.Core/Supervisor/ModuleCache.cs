using GenVm.Wasm;

namespace GenVm.Core.Supervisor;

/// <summary>
/// Compiled modules of one run, by engine and module key (archive key + member path, runners.md §5), so a module used
/// by many sub-VMs is compiled once per engine (wasm-abi.md §5: sub-VMs share the run's compiled modules). Failures
/// are not cached.
/// </summary>
internal sealed class ModuleCache
{
    private readonly object _gate = new();
    private readonly Dictionary<(Engine Engine, string Key), Module> _modules = [];

    /// <summary>The module <paramref name="key"/> (bytes <paramref name="wasm"/>) compiled for <paramref name="engine"/>.</summary>
    /// <exception cref="WasmException">The code does not decode, validate or compile.</exception>
    public Module Get(Engine engine, string key, ReadOnlyMemory<byte> wasm)
    {
        lock (_gate)
        {
            if (_modules.TryGetValue((engine, key), out var module))
            {
                return module;
            }

            module = Module.FromBytes(engine, wasm.Span);
            _modules[(engine, key)] = module;
            return module;
        }
    }
}
