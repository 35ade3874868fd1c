namespace GenVm.Wasm.Validation;

/// <summary>One entry of the validator's control stack (spec Appendix "Validation Algorithm": <c>ctrl_frame</c>).</summary>
internal struct ControlFrame
{
    /// <summary>The instruction that opened the frame (<c>block</c>, <c>loop</c>, <c>if</c>, <c>else</c>; the function body uses <c>block</c>).</summary>
    public Binary.Opcode Opcode;

    /// <summary>The block's parameter types.</summary>
    public ValueKind[] StartTypes;

    /// <summary>The block's result types.</summary>
    public ValueKind[] EndTypes;

    /// <summary>Operand-stack height when the frame was entered (below its parameters).</summary>
    public int Height;

    /// <summary>Whether the rest of the frame is unreachable (after <c>br</c>, <c>return</c>, <c>unreachable</c>, ...).</summary>
    public bool Unreachable;

    /// <summary>Whether the frame was opened in unreachable code (its pushes do not count towards the maximum height).</summary>
    public bool Dead;

    /// <summary>The types a branch to this frame carries: a loop's parameters, otherwise its results.</summary>
    public readonly ValueKind[] LabelTypes => Opcode == Binary.Opcode.Loop ? StartTypes : EndTypes;
}
