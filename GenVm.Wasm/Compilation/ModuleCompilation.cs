using System.Reflection;
using System.Reflection.Emit;
using GenVm.Wasm.Binary;

namespace GenVm.Wasm.Compilation;

/// <summary>State shared by the function compilers of one module: the generated types, methods and fields.</summary>
internal sealed class ModuleCompilation
{
    private static readonly MethodInfo GetIdMethod = typeof(Runtime.SignatureRegistry).GetMethod(nameof(Runtime.SignatureRegistry.GetId), [typeof(string)])!;

    public required ModuleDefinition Definition { get; init; }

    public required Engine Engine { get; init; }

    /// <summary>The generated context subclass (the trailing argument of every compiled function).</summary>
    public required TypeBuilder ContextType { get; init; }

    /// <summary>One method per defined function (index = function index - imported functions).</summary>
    public required MethodBuilder[] Methods { get; init; }

    /// <summary>
    /// The method a direct call of defined function <c>i</c> targets, when not <see cref="Methods"/>[i]: a lazily
    /// compiled module (<see cref="LazyModule"/>) calls functions of groups not emitted yet through forwarders.
    /// </summary>
    public System.Func<int, MethodInfo>? CallTargets { get; init; }

    /// <summary>The method a direct call of defined function <paramref name="defined"/> emits.</summary>
    public MethodInfo CallTarget(int defined) => CallTargets is { } targets ? targets(defined) : Methods[defined];

    /// <summary>Per global: a typed value field (defined, not exported) or a <see cref="Global"/> cell field.</summary>
    public required FieldBuilder[] GlobalFields { get; init; }

    /// <summary>Per global: whether <see cref="GlobalFields"/> holds the value itself.</summary>
    public required bool[] GlobalIsDirect { get; init; }

    /// <summary>Per table: a <see cref="Table"/> field.</summary>
    public required FieldBuilder[] TableFields { get; init; }

    /// <summary>Per imported function: a <see cref="Func"/> field.</summary>
    public required FieldBuilder[] ImportFields { get; init; }

    /// <summary>
    /// Per type index used by <c>call_indirect</c>: a static readonly int field of <see cref="HelpersType"/> holding the
    /// canonical signature id (set by the type initializer <see cref="EmitSignatureInitializer"/> writes).
    /// </summary>

    /// <summary>Whether the module has a memory (imported or defined).</summary>
    public bool HasMemory => Definition.TotalMemoryCount > 0;

    /// <summary>Frame limit (<see cref="EngineConfig.MaxCallDepth"/>).</summary>
    public int MaxCallDepth => Engine.Config.MaxCallDepth;

    /// <summary>Functions that exceed RyuJIT's full-optimisation thresholds (they run with MinOpts).</summary>
    public List<OversizedFunction> Oversized { get; } = [];

    /// <summary>Per defined function: (IL offset, wasm offset) pairs at call and trap sites, ascending.</summary>
    public required int[][] OffsetMaps { get; init; }

    /// <summary>Start mark of the type-creation phase (<see cref="PhaseTimings"/>).</summary>
    public long CreateTypesStart { get; set; }

    /// <summary>Frames of split functions, completed with the other generated types.</summary>
    public List<FrameLayout> Frames { get; } = [];

    /// <summary>The dynamic module being built.</summary>
    public required ModuleBuilder ModuleBuilder { get; init; }

    /// <summary>Holds per-module forwarders and calli stubs.</summary>
    public required TypeBuilder HelpersType { get; init; }

    /// <summary>
    /// Field tokens, forwarders, calli stubs and signature fields defined so far. The groups of a lazily compiled
    /// module share one table, so a helper is defined (and jitted) once per module, in the first group needing it,
    /// as in the eager form; later groups call it in its created type.
    /// </summary>
    public HelperTable Helpers { get; init; } = new();

    // Signature fields defined by this compilation: its type initializer sets them.
    private readonly List<(int TypeIndex, FieldBuilder Field)> _newSignatureFields = [];

    // Reflection.Emit resolves a member of another assembly to a token on every Emit (microseconds each, which made
    // large modules take seconds); tokens of this module's own builders are free. So foreign fields are emitted by
    // cached token and foreign methods are called through tiny local forwarders the JIT inlines.

    /// <summary>The (cached) metadata token of a field of GenVm.Wasm, for <c>ILGenerator.Emit(OpCode, int)</c>.</summary>
    public int FieldToken(FieldInfo field)
    {
        if (!Helpers.FieldTokens.TryGetValue(field, out var token))
        {
            token = ModuleBuilder.GetFieldMetadataToken(field);
            Helpers.FieldTokens[field] = token;
        }

        return token;
    }

    /// <summary>The static readonly field holding the canonical id of type <paramref name="typeIndex"/> (push with <c>ldsfld</c>).</summary>
    public FieldBuilder SignatureIdField(int typeIndex)
    {
        if (!Helpers.SignatureFields.TryGetValue(typeIndex, out var field))
        {
            field = HelpersType.DefineField("s" + typeIndex, typeof(int), FieldAttributes.Public | FieldAttributes.Static | FieldAttributes.InitOnly);
            Helpers.SignatureFields[typeIndex] = field;
            _newSignatureFields.Add((typeIndex, field));
        }

        return field;
    }

    /// <summary>
    /// Emits the helpers' type initializer resolving every used signature field from the signature's encoded form,
    /// so the ids are those of the process that runs the code (a cached assembly is loaded by another process).
    /// </summary>
    public void EmitSignatureInitializer()
    {
        if (_newSignatureFields.Count == 0)
        {
            return;
        }

        var il = HelpersType.DefineTypeInitializer().GetILGenerator();
        foreach (var (typeIndex, field) in _newSignatureFields)
        {
            il.Emit(OpCodes.Ldstr, Runtime.SignatureRegistry.Encode(Definition.Types[typeIndex]));
            il.Emit(OpCodes.Call, GetIdMethod);
            il.Emit(OpCodes.Stsfld, field);
        }

        il.Emit(OpCodes.Ret);
    }

    /// <summary>A local static method forwarding to <paramref name="target"/> (inlined by the JIT).</summary>
    public MethodBuilder Forwarder(MethodInfo target)
    {
        if (Helpers.Forwarders.TryGetValue(target, out var forwarder))
        {
            return forwarder;
        }

        var parameters = target.GetParameters().Select(p => p.ParameterType).ToArray();
        forwarder = HelpersType.DefineMethod("h" + Helpers.Forwarders.Count, MethodAttributes.Public | MethodAttributes.Static, target.ReturnType, parameters);
        forwarder.SetImplementationFlags(MethodImplAttributes.AggressiveInlining);
        var il = forwarder.GetILGenerator();
        for (var i = 0; i < parameters.Length; i++)
        {
            il.Emit(OpCodes.Ldarg, i);
        }

        il.Emit(OpCodes.Call, target);
        il.Emit(OpCodes.Ret);
        Helpers.Forwarders[target] = forwarder;
        return forwarder;
    }

    /// <summary>
    /// A local stub <c>R c(P..., object target, nint code)</c> doing the <c>calli</c> of a compiled function of
    /// signature <paramref name="type"/>; the tail variant uses <c>tail. calli</c> so tail-call chains stay flat.
    /// </summary>
    public MethodBuilder CalliStub(FuncType type, bool tail)
    {
        if (Helpers.CalliStubs.TryGetValue((type, tail), out var stub))
        {
            return stub;
        }

        var parameters = ClrTypes.Parameters(type, typeof(object)).Append(typeof(nint)).ToArray();
        stub = HelpersType.DefineMethod("c" + Helpers.CalliStubs.Count, MethodAttributes.Public | MethodAttributes.Static, ClrTypes.Return(type.Results), parameters);
        if (!tail)
        {
            stub.SetImplementationFlags(MethodImplAttributes.AggressiveInlining);
        }

        var il = stub.GetILGenerator();
        for (var i = 0; i < parameters.Length; i++)
        {
            il.Emit(OpCodes.Ldarg, i);
        }

        if (tail)
        {
            il.Emit(OpCodes.Tailcall);
        }

        StubFactory.EmitCalli(il, type);
        il.Emit(OpCodes.Ret);
        Helpers.CalliStubs[(type, tail)] = stub;
        return stub;
    }
}
