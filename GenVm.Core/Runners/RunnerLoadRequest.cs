namespace GenVm.Core.Runners;

/// <summary>What <see cref="RunnerLoader.Load"/> needs to load one VM (runners.md §8).</summary>
internal sealed class RunnerLoadRequest
{
    /// <summary>The contract's archive (<see cref="ContractArchive.FromCode(ReadOnlyMemory{byte})"/>, possibly cached).</summary>
    public required RunnerArchive Contract { get; init; }

    /// <summary>The contract archive's key, for module caches: <c>on_chain:0x&lt;address&gt;</c> or any content key.</summary>
    public string ContractKey { get; init; } = "<contract>";

    /// <summary>Whether the VM is deterministic (selects <c>When</c> branches and the float policy).</summary>
    public bool Deterministic { get; init; } = true;

    /// <summary><c>--debug-mode</c>: tags <c>test</c>/<c>latest</c> resolve (runners.md §5).</summary>
    public bool DebugMode { get; init; }

    /// <summary>The transaction time in Unix seconds, for version gating (runners.md §3).</summary>
    public long TransactionUnixSeconds { get; init; }

    /// <summary>
    /// Charges the VM's memory pool (wasm-abi.md §12): each archive use (its total size, the contract's included) and
    /// each mapped file (256 + destination length). Returning false fails the load with <c>OOM</c>. Null charges nothing.
    /// </summary>
    public Func<long, bool>? Charge { get; init; }
}
