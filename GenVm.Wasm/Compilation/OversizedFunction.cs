namespace GenVm.Wasm.Compilation;

/// <summary>
/// A compiled function large enough that RyuJIT will compile it with MinOpts (DEFAULT_MIN_OPTS_INSTR_COUNT 20000,
/// BB count 2000, local count 2000, local refs 8000). Recorded so a later pass can split such functions.
/// </summary>
/// <param name="FunctionIndex">Wasm function index.</param>
/// <param name="IlBytes">IL size in bytes.</param>
/// <param name="Locals">IL locals declared.</param>
/// <param name="Branches">Approximate number of basic blocks (labels marked).</param>
internal sealed record OversizedFunction(uint FunctionIndex, int IlBytes, int Locals, int Branches);
