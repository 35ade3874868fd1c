using System.Runtime.CompilerServices;
using GenVm.Wasm;

namespace GenVm.Core.Supervisor;

/// <summary>
/// Compiled modules of one run, by engine and code array (wasm-abi.md §5: sub-VMs share the run's compiled modules),
/// so a contract used by many sub-VMs is compiled once per mode. Failures are not cached.
/// </summary>
internal sealed class ModuleCache
{
    private readonly object _gate = new();
    private readonly Dictionary<Engine, ConditionalWeakTable<byte[], Module>> _modules = new(ReferenceEqualityComparer.Instance);

    /// <summary>The module of <paramref name="code"/> compiled for <paramref name="engine"/>.</summary>
    /// <exception cref="WasmException">The code does not decode, validate or compile.</exception>
    public Module Get(Engine engine, byte[] code)
    {
        lock (_gate)
        {
            if (!_modules.TryGetValue(engine, out var table))
            {
                table = [];
                _modules[engine] = table;
            }

            if (table.TryGetValue(code, out var module))
            {
                return module;
            }

            module = Module.FromBytes(engine, code);
            table.Add(code, module);
            return module;
        }
    }
}
