using GenVm.Wasm.Runtime;

namespace GenVm.Wasm;

/// <summary>A global variable.</summary>
public sealed class Global
{
    // Read and written by compiled code: numbers in Bits (i32/f32 in the low 32 bits), references in Ref.
    internal long Bits;
    internal object? Ref;

    private Global(GlobalType type) => Type = type;

    /// <summary>The global's type.</summary>
    public GlobalType Type { get; }

    /// <summary>The current value. Setting an immutable global throws <see cref="InvalidOperationException"/>.</summary>
    public Value Value
    {
        get => ValueMarshal.FromCell(Type.Kind, Bits, Ref);
        set
        {
            if (!Type.Mutable)
            {
                throw new InvalidOperationException("the global is immutable");
            }

            SetUnchecked(value);
        }
    }

    /// <summary>Creates a standalone global.</summary>
    public static Global Create(Store store, GlobalType type, Value value)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(type);
        var global = new Global(type);
        global.SetUnchecked(value);
        return global;
    }

    internal static Global CreateUninitialized(GlobalType type) => new(type);

    internal void SetUnchecked(Value value)
    {
        if (value.Kind != Type.Kind)
        {
            throw new ArgumentException($"expected a {Type.Kind} value, got {value.Kind}", nameof(value));
        }

        Bits = value.Bits;
        Ref = value.Reference;
    }
}
