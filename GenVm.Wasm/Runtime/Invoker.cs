using GenVm.Wasm.Compilation;

namespace GenVm.Wasm.Runtime;

/// <summary>
/// The host→wasm boundary: sets up the store's execution state, calls the per-signature entry stub, and turns
/// whatever escapes compiled code into a <see cref="WasmTrapException"/> with a wasm backtrace.
/// </summary>
internal static class Invoker
{
    public static void Invoke(Func func, Value[] args, Value[] results)
    {
        var state = func.Store.State;
        var entry = StubFactory.GetEntry(func.Type);
        var depth = state.Depth;
        var budget = state.StackBudget;
        var callerContext = state.CallerContext;
        var arenaTop = state.ArenaTop;
        var stackLimit = state.StackLimit;
        if (state.EntryCount == 0)
        {
            state.StackLimit = StackBounds.CurrentLimit();
        }

        state.EntryCount++;
        state.CallerContext = null;
        try
        {
            entry(func.Code, func.Target, args, results);
        }
        catch (WasmTrapException trap)
        {
            if (trap.Frames.Count == 0)
            {
                trap.Frames = TrapFrames.Capture(trap);
            }

            throw;
        }
        catch (Exception e) when (TrapFrames.Translate(e) is { } trap)
        {
            throw trap;
        }
        finally
        {
            state.EntryCount--;
            state.Depth = depth;
            state.StackBudget = budget;
            state.CallerContext = callerContext;
            state.ArenaTop = arenaTop;
            if (state.EntryCount == 0)
            {
                state.StackLimit = stackLimit;
            }
        }
    }
}
