using System.Reflection;
using System.Reflection.Emit;

namespace GenVm.Wasm.Compilation;

/// <summary>
/// The frame of a split function: a value type local of the function's method, passed by reference to its outlined
/// pieces. It holds the wasm locals that outlined code uses, and "carry" fields through which a piece receives its
/// region's inputs and hands back its results or the values of a branch leaving it.
/// </summary>
internal sealed class FrameLayout
{
    /// <summary>Stands in for every field in a dry run (nothing is emitted).</summary>
    internal static readonly int Placeholder;

    private static readonly FieldInfo PlaceholderField = typeof(FrameLayout).GetField(nameof(Placeholder), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly TypeBuilder? _type;
    private readonly FieldInfo?[] _locals;
    private readonly Dictionary<(int Position, ValueKind Kind), FieldInfo> _carries = [];

    private FrameLayout(TypeBuilder? type, FieldInfo?[] locals)
    {
        _type = type;
        _locals = locals;
    }

    /// <summary>The frame type (a placeholder type in a dry run).</summary>
    public Type Type => _type ?? typeof(long);

    /// <summary>A layout for a dry run: fields are placeholders.</summary>
    public static FrameLayout Dry(int localCount) => new(null, new FieldInfo?[localCount]);

    /// <summary>Defines the frame type of function <paramref name="functionIndex"/> with a field per local in <paramref name="inFrame"/>.</summary>
    public static FrameLayout Define(ModuleBuilder module, uint functionIndex, ValueKind[] localKinds, bool[] inFrame)
    {
        var type = module.DefineType(
            "Frame" + functionIndex,
            TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.SequentialLayout,
            typeof(ValueType));
        var locals = new FieldInfo?[localKinds.Length];
        for (var i = 0; i < locals.Length; i++)
        {
            if (inFrame[i])
            {
                locals[i] = type.DefineField("l" + i, ClrTypes.Of(localKinds[i]), FieldAttributes.Public);
            }
        }

        return new FrameLayout(type, locals);
    }

    /// <summary>The field of wasm local <paramref name="index"/>.</summary>
    public FieldInfo Local(int index) => _type is null ? PlaceholderField : _locals[index]!;

    /// <summary>The carry field for the <paramref name="position"/>-th value of a transfer, of kind <paramref name="kind"/>.</summary>
    public FieldInfo Carry(int position, ValueKind kind)
    {
        if (_type is null)
        {
            return PlaceholderField;
        }

        if (!_carries.TryGetValue((position, kind), out var field))
        {
            field = _type.DefineField($"c{position}_{(byte)kind:x2}", ClrTypes.Of(kind), FieldAttributes.Public);
            _carries[(position, kind)] = field;
        }

        return field;
    }

    /// <summary>Completes the frame type (after every piece of the function is compiled).</summary>
    public void Create() => _type?.CreateType();
}
