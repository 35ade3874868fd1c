using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using GenVm.Wasm.Binary;

namespace GenVm.Wasm.Compilation;

/// <summary>
/// A module compiled on demand (<see cref="EngineConfig.LazyCompilation"/>; issue 4 item 7: a cold CPython start
/// runs about a quarter of its ~8,500 functions, yet emitting all of them cost ~1.3 s of CPU). At load only the
/// context type and one forwarder per function are emitted, in a collectible assembly; the function bodies are
/// emitted in groups of <see cref="GroupSize"/> consecutive functions (the linker keeps a source file's functions
/// together, so a group tends to be used together), each group a type of its own, created when one of its functions
/// is first called.
/// </summary>
/// <remarks>
/// <para>
/// Forwarder <c>f{index}</c> of type <c>Lazy</c> has the function's signature and does
/// <c>tail. calli</c> through <c>Lazy.code[index]</c>, which <see cref="Resolve(object, int)"/> fills by emitting and
/// creating the function's group. Tables, exports and imports of other modules get the forwarders' entry points,
/// so instantiation never forces a group. A direct call inside a group, or to a group created before, is a plain
/// <c>call</c>; a call to a group not created yet goes through the forwarder (a direct call would make the JIT load,
/// and so emit, the callee's group as soon as the caller is jitted, whether the call runs or not).
/// </para>
/// <para>
/// The IL of every function is the same as in the eager form (<see cref="ModuleCompiler"/>), so results, traps,
/// frame counts (forwarders are not wasm frames and do not count) and fuel are identical. Validation is complete
/// before a lazy module exists: emission never rejects a module. Emission takes a lock: threads calling functions of
/// groups not emitted yet wait for each other, then all run the same code.
/// </para>
/// </remarks>
internal sealed class LazyModule
{
    /// <summary>Functions per group (measured on CPython's start: see docs/decisions.md).</summary>
    internal const int GroupSize = 16;

    private static readonly MethodInfo ResolveMethod = typeof(LazyModule).GetMethod(nameof(Resolve), BindingFlags.Public | BindingFlags.Static, [typeof(object), typeof(int)])!;

    private static int s_counter;

    private readonly Lock _gate = new();
    private readonly Engine _engine;
    private readonly ModuleDefinition _definition;
    private readonly ModuleBuilder _moduleBuilder;
    private readonly TypeBuilder _contextType;
    private readonly FieldBuilder[] _globalFields;
    private readonly bool[] _globalIsDirect;
    private readonly FieldBuilder[] _tableFields;
    private readonly FieldBuilder[] _importFields;
    private readonly bool _fullOpts;

    // Per group: whether its type is created (group types are defined when emitted: a type's creation costs more
    // the more types and methods the dynamic module already defines).
    private readonly bool[] _created;
    private readonly MethodBuilder[] _methods;
    private readonly MethodInfo[] _forwarders;
    private readonly nint[] _code;
    private readonly List<OversizedFunction> _oversized = [];
    private readonly HelperTable _helpers = new();
    private readonly int[][] _offsetMaps;
    private int _emittedGroups;

    private LazyModule(Engine engine, ModuleDefinition definition)
    {
        _engine = engine;
        _definition = definition;
        var assemblyName = "GenVm.Wasm.Lazy" + Interlocked.Increment(ref s_counter);
        // Large modules (runners) are not collectible, like the compile cache's images: CPython's start on collectible
        // code cost ~1.5 s more CPU (more methods jitted, slower statics). Small modules stay collectible.
        var count = definition.FunctionTypeIndices.Count;
        var access = count > ModuleCompiler.FullOptsFunctionLimit ? AssemblyBuilderAccess.Run : AssemblyBuilderAccess.RunAndCollect;
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName(assemblyName), access);
        AccessChecks.Apply(assembly);
        _moduleBuilder = assembly.DefineDynamicModule(assemblyName);
        (_contextType, _globalFields, _globalIsDirect, _tableFields, _importFields) = ModuleCompiler.DefineContext(_moduleBuilder, definition);

        _fullOpts = count <= ModuleCompiler.FullOptsFunctionLimit;
        _methods = new MethodBuilder[count];
        _created = new bool[(count + GroupSize - 1) / GroupSize];

        _code = new nint[count];
        _offsetMaps = new int[count][];
        _forwarders = new MethodInfo[count];
    }

    /// <summary>The compiled module (its entry points are the forwarders).</summary>
    public CompiledModule Compiled { get; private set; } = null!;

    /// <summary>Groups emitted so far (tests and timings).</summary>
    public int EmittedGroups => Volatile.Read(ref _emittedGroups);

    /// <summary>Number of groups.</summary>
    public int GroupCount => _created.Length;

    /// <summary>Emits the context type and the forwarders of a validated module; no function body is emitted yet.</summary>
    public static LazyModule Create(Engine engine, ModuleDefinition definition, string? name)
    {
        ModuleCompiler.CountCompilation();
        var start = PhaseTimings.Start();
        var lazy = new LazyModule(engine, definition);
        var forwarders = lazy.DefineForwarders(out var codeField, out var stateField);
        var contextType = lazy._contextType.CreateType();
        var lazyType = forwarders.CreateType();
        lazyType.GetField(codeField.Name)!.SetValue(null, lazy._code);
        lazyType.GetField(stateField.Name)!.SetValue(null, lazy);
        lazy.Compiled = new CompiledModule(definition, name, contextType, lazyType, lazy._oversized, describesFrames: false)
        {
            GlobalIsDirect = lazy._globalIsDirect,
            OffsetMaps = lazy._offsetMaps,
            Lazy = lazy,
        };
        PhaseTimings.Stop("lazy stubs", start);
        return lazy;
    }

    /// <summary>Called by the forwarders (through <c>Lazy.Get</c>) when a function's group is not emitted yet.</summary>
    public static nint Resolve(object state, int defined) => ((LazyModule)state).Resolve(defined);

    /// <summary>Emits every group not emitted yet (tests: the lazy form fully emitted).</summary>
    public void EmitAll()
    {
        for (var i = 0; i < _code.Length; i += GroupSize)
        {
            Resolve(i);
        }
    }

    private nint Resolve(int defined)
    {
        var code = Volatile.Read(ref _code[defined]);
        if (code != 0)
        {
            return code;
        }

        lock (_gate)
        {
            if (_code[defined] == 0)
            {
                EmitGroup(defined / GroupSize);
            }

            return _code[defined];
        }
    }

    private void EmitGroup(int g)
    {
        var start = PhaseTimings.Start();
        var group = _moduleBuilder.DefineType("G" + g, TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Abstract | TypeAttributes.Class);
        var first = g * GroupSize;
        var end = Math.Min(_methods.Length, first + GroupSize);
        for (var i = first; i < end; i++)
        {
            _methods[i] = ModuleCompiler.DefineFunction(group, _definition, _contextType, i, _fullOpts);
        }

        var compilation = new ModuleCompilation
        {
            ModuleBuilder = _moduleBuilder,
            HelpersType = group,
            OffsetMaps = _offsetMaps,
            Definition = _definition,
            Engine = _engine,
            ContextType = _contextType,
            Methods = _methods,
            GlobalFields = _globalFields,
            GlobalIsDirect = _globalIsDirect,
            TableFields = _tableFields,
            ImportFields = _importFields,
            Helpers = _helpers,
            CallTargets = d => d / GroupSize == g || _created[d / GroupSize] ? _methods[d] : _forwarders[d],
        };
        for (var i = first; i < end; i++)
        {
            FunctionSplitter.Compile(compilation, _definition.Bodies[i], _methods[i]);
        }

        foreach (var frame in compilation.Frames)
        {
            frame.Create();
        }

        compilation.EmitSignatureInitializer();
        var created = group.CreateType();
        _oversized.AddRange(compilation.Oversized);
        Compiled.RegisterCode(created);

        // The signature ids call_indirect compares are resolved before any function of the group is jitted, so the
        // JIT folds them to constants (as CompiledModule does for the eager form's helpers).
        RuntimeHelpers.RunClassConstructor(created.TypeHandle);
        foreach (var method in created.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
        {
            var name = method.Name;
            if (name.Length > 1 && name[0] == 'f' && name.IndexOf('_', StringComparison.Ordinal) < 0
                && uint.TryParse(name.AsSpan(1), System.Globalization.NumberStyles.None, null, out var index))
            {
                Volatile.Write(ref _code[(int)index - _definition.ImportedFunctionCount], method.MethodHandle.GetFunctionPointer());
            }
        }

        // Later groups call this one directly.
        _created[g] = true;
        Interlocked.Increment(ref _emittedGroups);
        PhaseTimings.Count("lazy emit", start);
    }

    /// <summary>
    /// Defines type <c>Lazy</c>: <c>nint[] code</c>, <c>object state</c>, <c>nint Get(int)</c> and a forwarder
    /// <c>f{index}</c> per defined function.
    /// </summary>
    private TypeBuilder DefineForwarders(out FieldBuilder codeField, out FieldBuilder stateField)
    {
        var type = _moduleBuilder.DefineType("Lazy", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Abstract | TypeAttributes.Class);
        codeField = type.DefineField("code", typeof(nint[]), FieldAttributes.Public | FieldAttributes.Static);
        stateField = type.DefineField("state", typeof(object), FieldAttributes.Public | FieldAttributes.Static);

        var get = type.DefineMethod("Get", MethodAttributes.Public | MethodAttributes.Static, typeof(nint), [typeof(int)]);
        get.SetImplementationFlags(MethodImplAttributes.AggressiveInlining);
        var il = get.GetILGenerator();
        var done = il.DefineLabel();
        il.Emit(OpCodes.Ldsfld, codeField);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldelem_I);
        il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Brtrue_S, done);
        il.Emit(OpCodes.Pop);
        il.Emit(OpCodes.Ldsfld, stateField);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, ResolveMethod);
        il.MarkLabel(done);
        il.Emit(OpCodes.Ret);

        for (var i = 0; i < _methods.Length; i++)
        {
            var signature = _definition.Types[(int)_definition.FunctionTypeIndices[i]];
            var parameters = ClrTypes.Parameters(signature, _contextType);
            var returnType = ClrTypes.Return(signature.Results);
            var forwarder = type.DefineMethod(CompiledModule.MethodName((uint)(_definition.ImportedFunctionCount + i)), MethodAttributes.Public | MethodAttributes.Static, returnType, parameters);
            il = forwarder.GetILGenerator();
            for (var p = 0; p < parameters.Length; p++)
            {
                il.Emit(OpCodes.Ldarg, p);
            }

            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Call, get);

            // A tail call: the forwarder leaves no frame, so wasm tail-call chains stay flat and native stack use is
            // the eager form's.
            il.Emit(OpCodes.Tailcall);
            il.EmitCalli(OpCodes.Calli, CallingConventions.Standard, returnType, parameters, null);
            il.Emit(OpCodes.Ret);
            _forwarders[i] = forwarder;
        }

        return type;
    }
}
