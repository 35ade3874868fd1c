using System.Reflection;
using System.Reflection.Emit;

namespace GenVm.Wasm.Compilation;

/// <summary>
/// How wasm values map to CLR types in compiled code: i32→int, i64→long, f32→float, f64→double, references→object.
/// A function with several results returns a <see cref="ValueTuple"/> (nested past seven items).
/// </summary>
internal static class ClrTypes
{
    private static readonly Type[] TupleDefinitions =
    [
        typeof(ValueTuple<>), typeof(ValueTuple<,>), typeof(ValueTuple<,,>), typeof(ValueTuple<,,,>),
        typeof(ValueTuple<,,,,>), typeof(ValueTuple<,,,,,>), typeof(ValueTuple<,,,,,,>), typeof(ValueTuple<,,,,,,,>),
    ];

    /// <summary>The CLR type of a wasm value type.</summary>
    public static Type Of(ValueKind kind) => kind switch
    {
        ValueKind.I32 => typeof(int),
        ValueKind.I64 => typeof(long),
        ValueKind.F32 => typeof(float),
        ValueKind.F64 => typeof(double),
        _ => typeof(object),
    };

    /// <summary>The CLR parameter types of a compiled function: the wasm parameters plus the trailing context.</summary>
    public static Type[] Parameters(FuncType type, Type contextType)
    {
        var result = new Type[type.Parameters.Length + 1];
        for (var i = 0; i < type.Parameters.Length; i++)
        {
            result[i] = Of(type.Parameters[i]);
        }

        result[^1] = contextType;
        return result;
    }

    /// <summary>The CLR return type for a result list.</summary>
    public static Type Return(IReadOnlyList<ValueKind> results) => results.Count switch
    {
        0 => typeof(void),
        1 => Of(results[0]),
        _ => Tuple(results, 0, false),
    };

    /// <summary>Pushes item <paramref name="index"/> of the tuple whose address is on the stack.</summary>
    public static void EmitLoadItem(ILGenerator il, Type tuple, int index)
    {
        while (index >= 7)
        {
            var rest = tuple.GetField("Rest")!;
            il.Emit(OpCodes.Ldflda, rest);
            tuple = rest.FieldType;
            index -= 7;
        }

        il.Emit(OpCodes.Ldfld, tuple.GetField("Item" + (index + 1))!);
    }

    /// <summary>
    /// Given the tuple's address and then the value on the stack, stores the value into item <paramref name="index"/>.
    /// The caller pushes the address, calls <see cref="EmitItemAddress"/>, pushes the value, then calls this.
    /// </summary>
    public static FieldInfo ItemField(Type tuple, int index)
    {
        while (index >= 7)
        {
            tuple = tuple.GetField("Rest")!.FieldType;
            index -= 7;
        }

        return tuple.GetField("Item" + (index + 1))!;
    }

    /// <summary>With the tuple's address on the stack, leaves the address of the nested tuple holding <paramref name="index"/>.</summary>
    public static void EmitItemAddress(ILGenerator il, Type tuple, int index)
    {
        while (index >= 7)
        {
            var rest = tuple.GetField("Rest")!;
            il.Emit(OpCodes.Ldflda, rest);
            tuple = rest.FieldType;
            index -= 7;
        }
    }

    private static Type Tuple(IReadOnlyList<ValueKind> kinds, int start, bool nested)
    {
        var count = kinds.Count - start;
        if (count <= 7)
        {
            var args = new Type[count];
            for (var i = 0; i < count; i++)
            {
                args[i] = Of(kinds[start + i]);
            }

            _ = nested;
            return TupleDefinitions[count - 1].MakeGenericType(args);
        }

        var first = new Type[8];
        for (var i = 0; i < 7; i++)
        {
            first[i] = Of(kinds[start + i]);
        }

        first[7] = Tuple(kinds, start + 7, true);
        return TupleDefinitions[7].MakeGenericType(first);
    }
}
