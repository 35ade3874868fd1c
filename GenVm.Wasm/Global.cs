namespace GenVm.Wasm;

/// <summary>A global variable.</summary>
public sealed class Global
{
    private Global(GlobalType type) => Type = type;

    /// <summary>The global's type.</summary>
    public GlobalType Type { get; }

    /// <summary>The current value. Setting an immutable global throws <see cref="InvalidOperationException"/>.</summary>
    public Value Value
    {
        get => throw new NotImplementedException();
        set => throw new NotImplementedException();
    }

    /// <summary>Creates a standalone global.</summary>
    public static Global Create(Store store, GlobalType type, Value value) => throw new NotImplementedException();
}
