namespace GenVm.Wasm.Wasi;

/// <summary>The guest called <c>proc_exit</c>: execution stops and unwinds to the embedder with the exit code.</summary>
public sealed class WasiExitException : WasmException
{
    /// <summary>Creates the exception.</summary>
    public WasiExitException(int exitCode)
        : base($"proc_exit({exitCode})")
    {
        ExitCode = exitCode;
    }

    /// <summary>The code the guest passed to <c>proc_exit</c>.</summary>
    public int ExitCode { get; }
}
