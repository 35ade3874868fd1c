namespace GenVm.Wasm;

/// <summary>
/// What a host function sees of its caller: the calling instance's exports (memory first of all) and the store.
/// Valid only during the callback. Spans obtained from a <see cref="Memory"/> die when the memory grows or when
/// guest code runs again: never keep them across a call or a grow.
/// </summary>
public readonly ref struct Caller
{
    internal Caller(Store store, Instance? instance)
    {
        Store = store;
        Instance = instance;
    }

    /// <summary>The store the call runs in.</summary>
    public Store Store { get; }

    /// <summary>The calling instance, or null when a host function is invoked directly by the embedder.</summary>
    public Instance? Instance { get; }

    /// <summary>The caller's exported memory of that name (WASI uses <c>"memory"</c>), or null.</summary>
    public Memory? GetMemory(string name) => Instance?.GetMemory(name);

    /// <summary>The caller's memory 0 (exported or not), or null when the caller has no memory.</summary>
    public Memory? DefaultMemory => Instance?.DefaultMemory;
}
