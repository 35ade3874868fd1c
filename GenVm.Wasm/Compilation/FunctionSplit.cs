using System.Reflection.Emit;

namespace GenVm.Wasm.Compilation;

/// <summary>
/// How one oversized function is split: which regions are outlined into pieces and which wasm locals live in the
/// frame (<see cref="FrameLayout"/>). Shared by the function's own compiler and its pieces' compilers.
/// </summary>
internal sealed class FunctionSplit
{
    /// <summary>Per wasm local (parameters first): whether it lives in the frame rather than in an IL local.</summary>
    public required bool[] InFrame { get; init; }

    /// <summary>The frame type and its fields.</summary>
    public required FrameLayout Layout { get; init; }

    /// <summary>Offsets of the block/loop/if opcodes whose regions become pieces.</summary>
    public HashSet<int> Outlined { get; init; } = [];

    /// <summary>Straight-line runs that become pieces: start offset → end offset (both instruction boundaries).</summary>
    public Dictionary<int, int> Segments { get; init; } = [];

    /// <summary>Set for a measuring dry run: records every region's cost and outlines nothing.</summary>
    public RegionTrace? Trace { get; init; }

    /// <summary>The function's own method (pieces are defined next to it); null in a dry run.</summary>
    public MethodBuilder? Root { get; init; }

    /// <summary>Per piece number: its (IL offset, wasm offset) pairs (see <see cref="CompiledModule.OffsetMaps"/>).</summary>
    public Dictionary<int, int[]> PieceOffsetMaps { get; } = [];

    /// <summary>Exit codes handed out to br_table exits so far (see FunctionCompiler.TableExit).</summary>
    public int TableCodes { get; set; }

    /// <summary>Pieces defined so far (numbers their method names).</summary>
    public int PieceCount { get; set; }
}
