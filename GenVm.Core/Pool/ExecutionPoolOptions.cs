using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace GenVm.Core.Pool;

/// <summary>
/// Settings of the in-process <see cref="ExecutionPool"/> (section <c>ExecutionPool</c> of <c>appsettings.json</c>, or
/// <c>GENVM__ExecutionPool__&lt;key&gt;</c>).
/// </summary>
internal sealed class ExecutionPoolOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "ExecutionPool";

    /// <summary>
    /// The cap in units (bytes) over the det and non-det memory pools of every execution of the process together
    /// (wasm-abi.md §12 charges); 0 uses the memory available to the process
    /// (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>). A charge beyond it fails like an exhausted pool: OOM.
    /// </summary>
    [ConfigurationKeyName("process_memory_cap")]
    [Range(0, long.MaxValue)]
    public long ProcessMemoryCap { get; set; }

    /// <summary>The size of each execution's det and non-det pools (wasm-abi.md §12: 4 294 967 295 units).</summary>
    [ConfigurationKeyName("execution_memory")]
    [Range(0, long.MaxValue)]
    public long ExecutionMemory { get; set; } = GenVm.Wasm.ResourcePool.DefaultCapacity;

    /// <summary>How many finished wasm threads wait for the next VM.</summary>
    [ConfigurationKeyName("idle_threads")]
    [Range(0, 1024)]
    public int IdleThreads { get; set; } = 2 * Environment.ProcessorCount;

    /// <summary>The stack of each wasm thread, in bytes (style.md §7).</summary>
    [ConfigurationKeyName("thread_stack_bytes")]
    [Range(1024 * 1024, int.MaxValue)]
    public int ThreadStackBytes { get; set; } = Supervisor.WasmThread.StackBytes;

    /// <summary>How many compiled modules the shared in-memory cache keeps (the oldest is dropped beyond it).</summary>
    [ConfigurationKeyName("cached_modules")]
    [Range(1, int.MaxValue)]
    public int CachedModules { get; set; } = 256;

    /// <summary>
    /// The on-disk compile cache behind the in-memory one (<c>EngineConfig.WithCacheDirectory</c>); null or empty
    /// compiles every module afresh once per process.
    /// </summary>
    [ConfigurationKeyName("compile_cache_dir")]
    public string? CompileCacheDirectory { get; set; }

    /// <summary>
    /// Whether reactor interpreters (the CPython runner) start from a snapshot of an already started one instead of
    /// booting (<see cref="Supervisor.SnapshotInstanceFactory"/>, docs/decisions.md "Python snapshots"). Results are
    /// the same either way; turn it off to rule snapshots out. Ignored when an <c>IVmInstanceFactory</c> is given.
    /// </summary>
    [ConfigurationKeyName("snapshots")]
    public bool Snapshots { get; set; } = true;

    /// <summary>
    /// Whether non-det VMs start from a snapshot too (with <see cref="Snapshots"/>): captured in this process from OS
    /// entropy and never written to <see cref="SnapshotDirectory"/>, so the process's non-det VMs share one str-hash
    /// secret, as a long-running CPython process does (docs/decisions.md "Non-det snapshots"). False: every non-det VM
    /// boots and draws its own.
    /// </summary>
    [ConfigurationKeyName("nondet_snapshots")]
    public bool NondetSnapshots { get; set; } = true;

    /// <summary>How many start-up snapshots are kept (one per runner module, engine mode, args and environment).</summary>
    [ConfigurationKeyName("snapshot_capacity")]
    [Range(1, 1024)]
    public int SnapshotCapacity { get; set; } = 4;

    /// <summary>
    /// How many VMs of a kind boot before one is captured: 0 captures the first; 1 (the default) spares a process that
    /// runs one execution the copy of the interpreter's memory.
    /// </summary>
    [ConfigurationKeyName("snapshot_after_boots")]
    [Range(0, int.MaxValue)]
    public int SnapshotAfterBoots { get; set; } = 1;

    /// <summary>
    /// The folder of on-disk start-up snapshots (<see cref="Supervisor.FileSnapshotStore"/>), so a fresh process
    /// restores the started interpreter instead of booting it; null or empty keeps snapshots in memory only. With a
    /// folder, the first boot of a kind is captured (and written) whatever <see cref="SnapshotAfterBoots"/> says: the
    /// copy pays off in every later process.
    /// </summary>
    [ConfigurationKeyName("snapshot_dir")]
    public string? SnapshotDirectory { get; set; }

    /// <summary>How much of each of an execution's stdout and stderr is captured when the caller gives no stream.</summary>
    [ConfigurationKeyName("captured_output_bytes")]
    [Range(0, int.MaxValue)]
    public int CapturedOutputBytes { get; set; } = 4 * 1024 * 1024;
}
