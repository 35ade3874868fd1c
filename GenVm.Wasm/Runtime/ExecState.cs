namespace GenVm.Wasm.Runtime;

/// <summary>
/// Per-store execution state shared by every instance of the store: the wasm frame counter, the interrupt flag,
/// the native stack limit and the host-call argument arena. Compiled code reads and writes these fields directly.
/// </summary>
internal sealed class ExecState
{
    /// <summary>Number of active wasm frames (wasm-abi.md §13). Restored at the host boundary after a trap.</summary>
    public int Depth;

    /// <summary>Remaining value-stack budget (wasm-abi.md §13); unused when the engine has no budget.</summary>
    public int StackBudget;

    /// <summary>
    /// Remaining fuel when the engine meters instructions (<see cref="EngineConfig.ConsumeFuel"/>); compiled code
    /// subtracts each basic block's cost and traps <see cref="TrapCode.OutOfFuel"/> when it is negative at a check.
    /// </summary>
    public long Fuel;

    /// <summary>Non-zero once <see cref="Store.Interrupt"/> was called; read with <c>volatile.</c> by compiled code.</summary>
    public int Interrupted;

    /// <summary>Lowest stack address compiled code may reach before trapping <see cref="TrapCode.StackOverflow"/>.</summary>
    public nint StackLimit;

    /// <summary>The context of the wasm function that last called an import or made an indirect call (for <see cref="Caller"/>).</summary>
    public InstanceContext? CallerContext;

    /// <summary>Number of nested host→wasm entries on the current thread.</summary>
    public int EntryCount;

    /// <summary>Argument/result slots of host calls, used as a stack (re-entrant host calls take slots above).</summary>
    public Value[] Arena = new Value[64];

    /// <summary>First free slot of <see cref="Arena"/>.</summary>
    public int ArenaTop;
}
