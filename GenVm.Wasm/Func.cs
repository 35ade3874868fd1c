using GenVm.Wasm.Compilation;
using GenVm.Wasm.Runtime;

namespace GenVm.Wasm;

/// <summary>A function: a compiled wasm function of an instance, or a host function.</summary>
public sealed class Func
{
    // Read by compiled code for calls through references: the canonical signature id, the native entry point of
    // the compiled method (or of the host stub) and the object passed as its trailing context argument.
    internal readonly int SigId;
    internal readonly nint Code;
    internal readonly object Target;

    private Func(Store store, FuncType type, nint code, object target, Instance? instance, uint functionIndex)
    {
        Store = store;
        Type = type;
        SigId = SignatureRegistry.GetId(type);
        Code = code;
        Target = target;
        Instance = instance;
        FunctionIndex = functionIndex;
    }

    /// <summary>The store this function belongs to.</summary>
    public Store Store { get; }

    /// <summary>The signature.</summary>
    public FuncType Type { get; }

    /// <summary>The defining instance of a wasm function; null for host functions.</summary>
    internal Instance? Instance { get; }

    /// <summary>Index in the defining module's function index space (wasm functions only).</summary>
    internal uint FunctionIndex { get; }

    /// <summary>Creates a host function in <paramref name="store"/>.</summary>
    public static Func FromCallback(Store store, FuncType type, HostCallback callback)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(callback);
        return new Func(store, type, StubFactory.GetHostStub(type), new HostTarget(store, type, callback), null, 0);
    }

    /// <summary>Calls the function. Arguments must match <see cref="Type"/>; <paramref name="results"/> must have one slot per result.</summary>
    /// <exception cref="WasmTrapException">The guest trapped.</exception>
    public void Invoke(ReadOnlySpan<Value> args, Span<Value> results)
    {
        var parameters = Type.Parameters;
        if (args.Length != parameters.Length)
        {
            throw new ArgumentException($"expected {parameters.Length} arguments, got {args.Length}", nameof(args));
        }

        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].Kind != parameters[i])
            {
                throw new ArgumentException($"argument {i} must be {parameters[i]}, got {args[i].Kind}", nameof(args));
            }
        }

        if (results.Length != Type.Results.Length)
        {
            throw new ArgumentException($"expected {Type.Results.Length} result slots, got {results.Length}", nameof(results));
        }

        var resultArray = results.Length == 0 ? [] : new Value[results.Length];
        Invoker.Invoke(this, args.ToArray(), resultArray);
        resultArray.CopyTo(results);
    }

    /// <summary>Calls the function and returns its results.</summary>
    public Value[] Invoke(params Value[] args)
    {
        var results = new Value[Type.Results.Length];
        Invoke(args, results);
        return results;
    }

    internal static Func ForWasm(Store store, FuncType type, nint code, InstanceContext context, Instance instance, uint functionIndex) =>
        new(store, type, code, context, instance, functionIndex);
}
