namespace GenVm.Wasm.Runtime;

/// <summary>
/// The call target of a host function: what the per-signature host stub receives in place of an instance
/// context. The stub writes the arguments into the store's arena and calls <see cref="Dispatch"/>.
/// </summary>
internal sealed class HostTarget
{
    public HostTarget(Store store, FuncType type, HostCallback callback)
    {
        Store = store;
        Type = type;
        Callback = callback;
    }

    public Store Store { get; }

    public FuncType Type { get; }

    public HostCallback Callback { get; }

    /// <summary>Reserves arena slots for the arguments and results of one call; returns the arena.</summary>
    public static Value[] Begin(HostTarget target, out int start)
    {
        var state = target.Store.State;
        var need = target.Type.Parameters.Length + target.Type.Results.Length;
        start = state.ArenaTop;
        if (start + need > state.Arena.Length)
        {
            // Outer calls keep their own (old) array; only new calls use the bigger one.
            state.Arena = new Value[Math.Max(state.Arena.Length * 2, start + need)];
        }

        state.ArenaTop = start + need;
        return state.Arena;
    }

    /// <summary>Runs the callback on the arguments at <paramref name="start"/>; results land after them.</summary>
    public static void Dispatch(HostTarget target, Value[] arena, int start)
    {
        var state = target.Store.State;
        var type = target.Type;
        var parameterCount = type.Parameters.Length;
        var results = arena.AsSpan(start + parameterCount, type.Results.Length);
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = Value.Default(type.Results[i]);
        }

        var caller = new Caller(target.Store, state.CallerContext?.Instance);
        var depth = state.Depth;
        var budget = state.StackBudget;
        try
        {
            target.Callback(caller, arena.AsSpan(start, parameterCount), results);
        }
        finally
        {
            state.ArenaTop = start;
            state.Depth = depth;
            state.StackBudget = budget;
        }

        for (var i = 0; i < results.Length; i++)
        {
            if (results[i].Kind != type.Results[i])
            {
                throw new InvalidOperationException($"host function returned a {results[i].Kind} where {type.Results[i]} was expected");
            }
        }
    }
}
