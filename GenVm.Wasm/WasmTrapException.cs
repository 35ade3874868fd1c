namespace GenVm.Wasm;

/// <summary>Guest execution trapped. Carries the reason and the wasm backtrace, innermost frame first.</summary>
public sealed class WasmTrapException : WasmException
{
    /// <summary>Creates the exception.</summary>
    public WasmTrapException(TrapCode code, IReadOnlyList<WasmFrame>? frames = null, Exception? innerException = null)
        : base(TrapMessages.Describe(code), innerException)
    {
        Code = code;
        Frames = frames ?? [];
    }

    /// <summary>Why execution trapped.</summary>
    public TrapCode Code { get; }

    /// <summary>Wasm frames at the trap, innermost first. Empty when unknown.</summary>
    public IReadOnlyList<WasmFrame> Frames { get; internal set; }
}
