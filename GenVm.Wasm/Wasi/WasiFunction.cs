namespace GenVm.Wasm.Wasi;

/// <summary>The body of one WASI function that returns an errno.</summary>
internal delegate WasiErrno WasiFunction(Caller caller, ReadOnlySpan<Value> args);
