namespace GenVm.Wasm;

/// <summary>A function: a compiled wasm function of an instance, or a host function.</summary>
public sealed class Func
{
    private Func(Store store, FuncType type)
    {
        Store = store;
        Type = type;
    }

    /// <summary>The store this function belongs to.</summary>
    public Store Store { get; }

    /// <summary>The signature.</summary>
    public FuncType Type { get; }

    /// <summary>Creates a host function in <paramref name="store"/>.</summary>
    public static Func FromCallback(Store store, FuncType type, HostCallback callback) => throw new NotImplementedException();

    /// <summary>Calls the function. Arguments must match <see cref="Type"/>; <paramref name="results"/> must have one slot per result.</summary>
    /// <exception cref="WasmTrapException">The guest trapped.</exception>
    public void Invoke(ReadOnlySpan<Value> args, Span<Value> results) => throw new NotImplementedException();

    /// <summary>Calls the function and returns its results.</summary>
    public Value[] Invoke(params Value[] args)
    {
        var results = new Value[Type.Results.Length];
        Invoke(args, results);
        return results;
    }
}
