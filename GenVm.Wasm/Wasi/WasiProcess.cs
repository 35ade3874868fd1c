using static GenVm.Wasm.ValueKind;

namespace GenVm.Wasm.Wasi;

/// <summary>
/// <c>proc_exit</c> (unwinds with <see cref="WasiExitException"/>), <c>proc_raise</c> (<c>nosys</c>),
/// <c>sched_yield</c> (success: one thread, nothing to yield to) and <c>poll_oneoff</c> (<c>notsup</c>).
/// </summary>
public sealed class WasiProcess
{
    /// <summary>Defines the four functions.</summary>
    public void Define(Linker linker)
    {
        linker.DefineFunction(WasiBinding.Module, "proc_exit", new FuncType(new[] { I32 }, Array.Empty<ValueKind>()), (_, args, _) =>
            throw new WasiExitException(args[0].I32));
        WasiBinding.DefineConstant(linker, "proc_raise", [I32], WasiErrno.NoSys);
        WasiBinding.DefineConstant(linker, "sched_yield", [], WasiErrno.Success);
        WasiBinding.DefineConstant(linker, "poll_oneoff", [I32, I32, I32, I32], WasiErrno.NotSupported);
    }
}
