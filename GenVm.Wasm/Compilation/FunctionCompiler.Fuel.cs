using System.Reflection.Emit;
using GenVm.Wasm.Binary;

namespace GenVm.Wasm.Compilation;

/// <summary>
/// Instruction metering (<see cref="EngineConfig.ConsumeFuel"/>, docs/fuel.md). The cost of each straight-line run of
/// instructions is summed at compile time and subtracted once, just before the control instruction that ends the run,
/// so the fuel consumed equals the summed cost of the instructions executed (a trap inside a run leaves that run
/// uncharged). The remainder is checked at function entries and loop headers.
/// </summary>
internal sealed partial class FunctionCompiler
{
    private long _pendingFuel;

    private bool MeterFuel => _module.Engine.Config.ConsumeFuel;

    /// <summary>
    /// The static fuel cost of one instruction (docs/fuel.md): structure markers are free, everything else costs 1
    /// (bulk memory and table instructions add a charge by length, <see cref="ChargeBulkLength"/>).
    /// </summary>
    internal static int FuelCost(Opcode op) => op is Opcode.Nop or Opcode.Block or Opcode.Loop or Opcode.Else or Opcode.End ? 0 : 1;

    /// <summary>Whether <paramref name="op"/> ends a straight-line run: it branches, joins, calls or leaves.</summary>
    private static bool EndsFuelRun(Opcode op) =>
        op is Opcode.Block or Opcode.Loop or Opcode.If or Opcode.Else or Opcode.End or Opcode.Br or Opcode.BrIf
            or Opcode.BrTable or Opcode.Return or Opcode.Unreachable or Opcode.Call or Opcode.CallIndirect
            or Opcode.ReturnCall or Opcode.ReturnCallIndirect;

    /// <summary>Adds the cost of <paramref name="op"/> to the current run, and charges the run if it ends here.</summary>
    private void AccountFuel(Opcode op)
    {
        _pendingFuel += FuelCost(op);
        if (op is Opcode.MemoryInit or Opcode.MemoryCopy or Opcode.MemoryFill or Opcode.TableInit or Opcode.TableCopy or Opcode.TableFill)
        {
            ChargeBulkLength();
        }

        if (EndsFuelRun(op) && _pendingFuel > 0)
        {
            // Stack-neutral, so it may sit between the operands of the instruction that follows.
            _il.Emit(OpCodes.Ldloc, _state);
            _il.Emit(OpCodes.Ldloc, _state);
            EmitField(OpCodes.Ldfld, Members.StateFuel);
            _il.Emit(OpCodes.Ldc_I8, _pendingFuel);
            _il.Emit(OpCodes.Sub);
            EmitField(OpCodes.Stfld, Members.StateFuel);
            _pendingFuel = 0;
        }
    }

    /// <summary>
    /// Bulk memory and table instructions also cost one unit per started 64 elements of their length operand (the top
    /// of the stack), charged when they run (docs/fuel.md).
    /// </summary>
    private void ChargeBulkLength()
    {
        Materialize(1);
        var length = RentTemp(typeof(long));
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Conv_U8); // the length is an unsigned i32
        _il.Emit(OpCodes.Ldc_I8, 63L);
        _il.Emit(OpCodes.Add);
        _il.Emit(OpCodes.Ldc_I4_6);
        _il.Emit(OpCodes.Shr_Un);
        _il.Emit(OpCodes.Stloc, length);
        _il.Emit(OpCodes.Ldloc, _state);
        _il.Emit(OpCodes.Ldloc, _state);
        EmitField(OpCodes.Ldfld, Members.StateFuel);
        _il.Emit(OpCodes.Ldloc, length);
        _il.Emit(OpCodes.Sub);
        EmitField(OpCodes.Stfld, Members.StateFuel);
        ReturnTemp(length);
    }

    /// <summary>Traps <see cref="TrapCode.OutOfFuel"/> when the remaining fuel is negative.</summary>
    private void EmitFuelCheck()
    {
        _il.Emit(OpCodes.Ldloc, _state);
        EmitField(OpCodes.Ldfld, Members.StateFuel);
        _il.Emit(OpCodes.Ldc_I8, 0L);
        EmitTrapUnless(OpCodes.Bge, TrapCode.OutOfFuel);
    }
}
