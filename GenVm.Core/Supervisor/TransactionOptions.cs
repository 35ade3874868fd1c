using GenVm.Core.Modules;
using GenVm.Core.Protocol;
using GenVm.Core.Runners;
using GenVm.Wasm;

namespace GenVm.Core.Supervisor;

/// <summary>Per-run settings of <see cref="TransactionSupervisor"/> (host-protocol.md §1.1).</summary>
internal sealed class TransactionOptions
{
    /// <summary>The guest's stdout (fd 1) of every VM; null discards.</summary>
    public Stream? Stdout { get; init; }

    /// <summary>The engines' on-disk compile cache directory; null compiles every module afresh.</summary>
    public string? CompileCacheDirectory { get; init; }

    /// <summary>The guest's stderr (fd 2) of every VM; null discards.</summary>
    public Stream? Stderr { get; init; }

    /// <summary><c>--sync</c>: nondet blocks take the host's leader result and run no VM (§8.2).</summary>
    public bool Sync { get; init; }

    /// <summary><c>--debug-mode</c>: <c>Trace.RuntimeMicroSec</c> reports real time in det VMs.</summary>
    public bool DebugMode { get; init; }

    /// <summary><c>--permissions</c> of the top-level VM (letters of <see cref="Permission"/>).</summary>
    public string Permissions { get; init; } = Permission.Default;

    /// <summary>The LLM module; null when none is configured (LLM requests then end as internal errors).</summary>
    public ILlmModule? Llm { get; init; }

    /// <summary>The web module; null when none is configured.</summary>
    public IWebModule? Web { get; init; }

    /// <summary>The runner registry for text/zip contracts; null opens the default one (runners.md §5) on first use.</summary>
    public RunnerRegistry? Runners { get; init; }

    /// <summary>The capacity of each of the two memory pools (wasm-abi.md §12).</summary>
    public long PoolCapacity { get; init; } = ResourcePool.DefaultCapacity;

    /// <summary>
    /// A cap over both memory pools and those of other runs (an execution pool's process-wide cap): every charge must
    /// also fit it, else it fails like an exhausted pool (wasm-abi.md §12: OOM). Null caps nothing beyond the pools.
    /// </summary>
    public ResourcePool? MemoryCap { get; init; }

    /// <summary>Compiled modules shared beyond this run (an execution pool's); null keeps a cache for this run only.</summary>
    public ModuleCache? Modules { get; init; }

    /// <summary>Reusable wasm threads for the run's VMs; null starts a new thread per VM (<see cref="WasmThread"/>).</summary>
    public WasmWorkers? Workers { get; init; }

    /// <summary>
    /// The run's log (what an executor process writes to its <c>--log-fd</c>, config.md §5.1): sub-VM records and the
    /// modules' <c>GetStats</c> replies (modules.md §2.3 step 5).
    /// </summary>
    public Microsoft.Extensions.Logging.ILogger Log { get; init; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>Makes each VM's instances (snapshot/restore seam); null instantiates every module afresh.</summary>
    public IVmInstanceFactory? InstanceFactory { get; init; }
}
