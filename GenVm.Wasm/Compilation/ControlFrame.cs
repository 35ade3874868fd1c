using System.Reflection.Emit;

namespace GenVm.Wasm.Compilation;

/// <summary>
/// One entry of the compiler's control stack. At every label the IL evaluation stack is empty: the values a
/// branch carries live in the operand-slot locals at depths <see cref="Height"/>.. (see <see cref="FunctionCompiler"/>).
/// </summary>
internal sealed class ControlFrame
{
    public required ControlKind Kind { get; init; }

    /// <summary>Branch target: the loop head for loops, else the end (the epilogue for the function frame).</summary>
    public required Label Label { get; init; }

    /// <summary>For <c>if</c>: where the else branch starts.</summary>
    public Label ElseLabel { get; init; }

    public required ValueKind[] Params { get; init; }

    public required ValueKind[] Results { get; init; }

    /// <summary>Operand stack height below the block's parameters.</summary>
    public required int Height { get; init; }

    /// <summary>For <c>if</c> with parameters: copies of the parameters for the else branch.</summary>
    public LocalBuilder[]? IfParams { get; init; }

    /// <summary>For blocks and ifs: the checked extents at entry (FunctionCompiler.CheckedExtents.cs).</summary>
    public Dictionary<int, (long Extent, int Version)>? Extents { get; init; }

    /// <summary>Whether an <c>else</c> was seen.</summary>
    public bool HasElse { get; set; }

    /// <summary>The code being compiled in this frame is dead (after br, return, unreachable...).</summary>
    public bool Unreachable { get; set; }

    /// <summary>Some path reaches the end of the frame.</summary>
    public bool EndReachable { get; set; }

    /// <summary>
    /// In an outlined piece of a split function: a stand-in for a frame of the enclosing method. Its label is the
    /// piece's exit stub, which hands the carried values and the frame's index back to the caller.
    /// </summary>
    public bool IsProxy { get; init; }

    /// <summary>Some branch targets this frame (set for every target; used for the exit stubs of proxies).</summary>
    public bool Referenced { get; set; }

    /// <summary>The value types a branch to this frame carries.</summary>
    public ValueKind[] BranchTypes => Kind == ControlKind.Loop ? Params : Results;
}
