namespace GenVm.Wasm;

/// <summary>
/// A host function's implementation. <paramref name="args"/> match the function type's parameters; the callback
/// must fill every element of <paramref name="results"/>. Throwing <see cref="WasmTrapException"/> traps the guest;
/// any other exception propagates to the embedder through the guest frames.
/// </summary>
public delegate void HostCallback(Caller caller, ReadOnlySpan<Value> args, Span<Value> results);
