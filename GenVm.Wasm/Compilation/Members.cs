using System.Numerics;
using System.Reflection;
using GenVm.Wasm.Runtime;

namespace GenVm.Wasm.Compilation;

/// <summary>Reflection handles used by emitted IL, looked up once.</summary>
internal static class Members
{
    private const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;

    public static readonly FieldInfo ContextState = Field(typeof(InstanceContext), nameof(InstanceContext.State));
    public static readonly FieldInfo ContextMemory0 = Field(typeof(InstanceContext), nameof(InstanceContext.Memory0));
    public static readonly FieldInfo ContextFunctions = Field(typeof(InstanceContext), nameof(InstanceContext.Functions));
    public static readonly FieldInfo ContextTables = Field(typeof(InstanceContext), nameof(InstanceContext.Tables));

    public static readonly FieldInfo StateDepth = Field(typeof(ExecState), nameof(ExecState.Depth));
    public static readonly FieldInfo StateStackBudget = Field(typeof(ExecState), nameof(ExecState.StackBudget));
    public static readonly FieldInfo StateFuel = Field(typeof(ExecState), nameof(ExecState.Fuel));
    public static readonly FieldInfo StateInterrupted = Field(typeof(ExecState), nameof(ExecState.Interrupted));
    public static readonly FieldInfo StateStackLimit = Field(typeof(ExecState), nameof(ExecState.StackLimit));
    public static readonly FieldInfo StateCallerContext = Field(typeof(ExecState), nameof(ExecState.CallerContext));

    public static readonly FieldInfo MemoryBase = Field(typeof(Memory), "Base");
    public static readonly FieldInfo MemoryLength = Field(typeof(Memory), "Length");
    public static readonly MethodInfo MemoryGrow = Method(typeof(Memory), nameof(Memory.GrowFromWasm));

    public static readonly FieldInfo TableElements = Field(typeof(Table), "Elements");
    public static readonly FieldInfo GlobalBits = Field(typeof(Global), "Bits");
    public static readonly FieldInfo GlobalRef = Field(typeof(Global), "Ref");

    public static readonly FieldInfo FuncSigId = Field(typeof(Func), "SigId");
    public static readonly FieldInfo FuncCode = Field(typeof(Func), "Code");
    public static readonly FieldInfo FuncTarget = Field(typeof(Func), "Target");

    public static readonly MethodInfo TrapCreate = Method(typeof(ThrowHelper), nameof(ThrowHelper.Create));
    public static readonly MethodInfo F32FromBits = Method(typeof(ThrowHelper), nameof(ThrowHelper.F32FromBits));
    public static readonly MethodInfo F64FromBits = Method(typeof(ThrowHelper), nameof(ThrowHelper.F64FromBits));

    public static readonly MethodInfo StackPointer = Method(typeof(StackBounds), nameof(StackBounds.CurrentStackPointer));

    public static readonly MethodInfo HostBegin = Method(typeof(HostTarget), nameof(HostTarget.Begin));
    public static readonly MethodInfo HostDispatch = Method(typeof(HostTarget), nameof(HostTarget.Dispatch));

    public static readonly MethodInfo ValueFromI32 = Method(typeof(Value), nameof(Value.FromI32));
    public static readonly MethodInfo ValueFromI64 = Method(typeof(Value), nameof(Value.FromI64));
    public static readonly MethodInfo ValueFromF32 = Method(typeof(Value), nameof(Value.FromF32));
    public static readonly MethodInfo ValueFromF64 = Method(typeof(Value), nameof(Value.FromF64));
    public static readonly MethodInfo ValueFromFuncRef = Method(typeof(ValueMarshal), nameof(ValueMarshal.FuncRefToValue));
    public static readonly MethodInfo ValueFromExternRef = Method(typeof(ValueMarshal), nameof(ValueMarshal.ExternRefToValue));
    public static readonly MethodInfo ValueToI32 = Method(typeof(ValueMarshal), nameof(ValueMarshal.ValueToI32));
    public static readonly MethodInfo ValueToI64 = Method(typeof(ValueMarshal), nameof(ValueMarshal.ValueToI64));
    public static readonly MethodInfo ValueToF32 = Method(typeof(ValueMarshal), nameof(ValueMarshal.ValueToF32));
    public static readonly MethodInfo ValueToF64 = Method(typeof(ValueMarshal), nameof(ValueMarshal.ValueToF64));
    public static readonly MethodInfo ValueToRef = Method(typeof(ValueMarshal), nameof(ValueMarshal.ValueToRef));

    public static readonly MethodInfo SingleToInt32Bits = typeof(BitConverter).GetMethod(nameof(BitConverter.SingleToInt32Bits), [typeof(float)])!;
    public static readonly MethodInfo Int32BitsToSingle = typeof(BitConverter).GetMethod(nameof(BitConverter.Int32BitsToSingle), [typeof(int)])!;
    public static readonly MethodInfo DoubleToInt64Bits = typeof(BitConverter).GetMethod(nameof(BitConverter.DoubleToInt64Bits), [typeof(double)])!;
    public static readonly MethodInfo Int64BitsToDouble = typeof(BitConverter).GetMethod(nameof(BitConverter.Int64BitsToDouble), [typeof(long)])!;

    public static readonly MethodInfo Clz32 = typeof(BitOperations).GetMethod(nameof(BitOperations.LeadingZeroCount), [typeof(uint)])!;
    public static readonly MethodInfo Clz64 = typeof(BitOperations).GetMethod(nameof(BitOperations.LeadingZeroCount), [typeof(ulong)])!;
    public static readonly MethodInfo Ctz32 = typeof(BitOperations).GetMethod(nameof(BitOperations.TrailingZeroCount), [typeof(uint)])!;
    public static readonly MethodInfo Ctz64 = typeof(BitOperations).GetMethod(nameof(BitOperations.TrailingZeroCount), [typeof(ulong)])!;
    public static readonly MethodInfo Popcnt32 = typeof(BitOperations).GetMethod(nameof(BitOperations.PopCount), [typeof(uint)])!;
    public static readonly MethodInfo Popcnt64 = typeof(BitOperations).GetMethod(nameof(BitOperations.PopCount), [typeof(ulong)])!;
    public static readonly MethodInfo Rotl32 = typeof(BitOperations).GetMethod(nameof(BitOperations.RotateLeft), [typeof(uint), typeof(int)])!;
    public static readonly MethodInfo Rotl64 = typeof(BitOperations).GetMethod(nameof(BitOperations.RotateLeft), [typeof(ulong), typeof(int)])!;
    public static readonly MethodInfo Rotr32 = typeof(BitOperations).GetMethod(nameof(BitOperations.RotateRight), [typeof(uint), typeof(int)])!;
    public static readonly MethodInfo Rotr64 = typeof(BitOperations).GetMethod(nameof(BitOperations.RotateRight), [typeof(ulong), typeof(int)])!;

    /// <summary>The opaque field holding an f32 constant the JIT must not fold (see <see cref="OpaqueConstants"/>), or null.</summary>
    public static FieldInfo? OpaqueF32(int bits) => bits switch
    {
        0 => OpaqueFields[0],
        unchecked((int)0x80000000) => OpaqueFields[1],
        0x3F800000 => OpaqueFields[2],
        unchecked((int)0xBF800000) => OpaqueFields[3],
        _ => null,
    };

    /// <summary>The opaque field holding an f64 constant the JIT must not fold, or null.</summary>
    public static FieldInfo? OpaqueF64(long bits) => bits switch
    {
        0 => OpaqueFields[4],
        unchecked((long)0x8000000000000000) => OpaqueFields[5],
        0x3FF0000000000000 => OpaqueFields[6],
        unchecked((long)0xBFF0000000000000) => OpaqueFields[7],
        _ => null,
    };

    /// <summary>A helper of <see cref="WasmMath"/>, <see cref="BulkOps"/> by name.</summary>
    public static MethodInfo MathHelper(string name) => Cached(typeof(WasmMath), name);

    /// <summary>A helper of <see cref="SoftFloatOps"/> by name.</summary>
    public static MethodInfo SoftFloatHelper(string name) => Cached(typeof(SoftFloatOps), name);

    /// <summary>A helper of <see cref="BulkOps"/> by name.</summary>
    public static MethodInfo Bulk(string name) => Cached(typeof(BulkOps), name);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Type, string), MethodInfo> HelperCache = new();
    private static readonly FieldInfo[] OpaqueFields =
    [
        Field(typeof(OpaqueConstants), nameof(OpaqueConstants.F32Zero)),
        Field(typeof(OpaqueConstants), nameof(OpaqueConstants.F32NegZero)),
        Field(typeof(OpaqueConstants), nameof(OpaqueConstants.F32One)),
        Field(typeof(OpaqueConstants), nameof(OpaqueConstants.F32NegOne)),
        Field(typeof(OpaqueConstants), nameof(OpaqueConstants.F64Zero)),
        Field(typeof(OpaqueConstants), nameof(OpaqueConstants.F64NegZero)),
        Field(typeof(OpaqueConstants), nameof(OpaqueConstants.F64One)),
        Field(typeof(OpaqueConstants), nameof(OpaqueConstants.F64NegOne)),
    ];

    private static MethodInfo Cached(Type type, string name) => HelperCache.GetOrAdd((type, name), static key => Method(key.Item1, key.Item2));

    private static FieldInfo Field(Type type, string name) =>
        type.GetField(name, Any) ?? throw new MissingFieldException(type.FullName, name);

    private static MethodInfo Method(Type type, string name) =>
        type.GetMethod(name, Any) ?? throw new MissingMethodException(type.FullName, name);
}
