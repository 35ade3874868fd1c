namespace GenVm.Wasm;

/// <summary>
/// A charge to a store's <see cref="ResourcePool"/> did not fit: the initial memory or table of an instance, or an
/// embedder charge (files, fds). The executor reports it as <c>VMError("OOM")</c> (wasm-abi.md §12). Growth by guest
/// code never throws this; <c>memory.grow</c> / <c>table.grow</c> return -1 instead.
/// </summary>
public sealed class ResourceExhaustedException : WasmException
{
    /// <summary>Creates the exception for a refused charge of <paramref name="units"/>.</summary>
    public ResourceExhaustedException(string what, long units)
        : base($"OOM: {what} needs {units} units, the resource pool cannot supply them")
    {
        What = what;
        Units = units;
    }

    /// <summary>What was being charged (for example "memory", "table", "fd_allocation").</summary>
    public string What { get; }

    /// <summary>The units refused.</summary>
    public long Units { get; }
}
