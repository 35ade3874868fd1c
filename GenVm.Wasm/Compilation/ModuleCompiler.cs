using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using GenVm.Wasm.Binary;
using GenVm.Wasm.Runtime;

namespace GenVm.Wasm.Compilation;

/// <summary>
/// Compiles a validated module to IL: one collectible dynamic assembly per module holding a context subclass
/// (typed fields for globals, tables and imports) and a static class with one method per wasm function.
/// </summary>
internal static class ModuleCompiler
{
    /// <summary>
    /// Modules with at most this many functions are jitted fully optimised on first call
    /// (<see cref="MethodImplAttributes.AggressiveOptimization"/>). Tiering (tier 0, PGO-instrumented code, OSR, then
    /// tier 1 in the background) cost a fresh process 0.15-0.2 s of slow code on the engine bench's kernels, more than
    /// jitting their few dozen functions once. Large modules (CPython: ~8,500 functions, ~2,000 run at start-up) keep
    /// tiering: jitting all of those fully optimised would multiply start-up JIT time, and crossgen2 does not
    /// precompile such methods, so <c>genvm precompile</c> would be void for them.
    /// </summary>
    internal const int FullOptsFunctionLimit = 1_000;

    private static int s_counter;
    private static int s_compilations;

    static ModuleCompiler() =>
        // Initialised before any compiled code is jitted, so the JIT reads these statics without class-init checks.
        RuntimeHelpers.RunClassConstructor(typeof(OpaqueConstants).TypeHandle);

    /// <summary>Number of modules compiled to IL in this process (tests observe that a cache hit compiles nothing).</summary>
    public static int CompilationCount => Volatile.Read(ref s_compilations);

    /// <summary>Compiles every function body into a collectible in-memory assembly.</summary>
    public static CompiledModule Compile(Engine engine, ModuleDefinition module, string? name)
    {
        var id = Interlocked.Increment(ref s_counter);
        var assemblyName = new AssemblyName("GenVm.Wasm.Compiled" + id);
        var assembly = AssemblyBuilder.DefineDynamicAssembly(assemblyName, AssemblyBuilderAccess.RunAndCollect);
        var (compilation, contextType, functionsType) = Emit(engine, module, name, assembly, assemblyName.Name!);
        var createdContext = contextType.CreateType();
        compilation.HelpersType.CreateType();
        var createdFunctions = functionsType.CreateType();
        PhaseTimings.Stop("create types", compilation.CreateTypesStart);
        return new CompiledModule(module, name, createdContext, createdFunctions, compilation.Oversized)
        {
            GlobalIsDirect = compilation.GlobalIsDirect,
            OffsetMaps = compilation.OffsetMaps,
        };
    }

    /// <summary>
    /// Compiles every function body into an assembly image for the compile cache (<see cref="PersistedAssemblyBuilder"/>)
    /// plus the side data the loader needs; load it with <see cref="CompiledImage.Load"/>.
    /// </summary>
    public static CompiledImage CompileImage(Engine engine, ModuleDefinition module, string? name)
    {
        var assemblyName = new AssemblyName(CompiledImage.AssemblyName);
        var assembly = new PersistedAssemblyBuilder(assemblyName, typeof(object).Assembly);
        var (compilation, contextType, functionsType) = Emit(engine, module, name, assembly, assemblyName.Name!);
        contextType.CreateType();
        compilation.HelpersType.CreateType();
        functionsType.CreateType();
        PhaseTimings.Stop("create types", compilation.CreateTypesStart);
        var start = PhaseTimings.Start();
        using var stream = new MemoryStream();
        assembly.Save(stream);
        PhaseTimings.Stop("save assembly", start);
        return new CompiledImage(compilation.GlobalIsDirect, compilation.OffsetMaps, [.. compilation.Oversized]) { IlImage = stream.ToArray() };
    }

    /// <summary>The generated context subclass and its fields (the same in the eager and the lazy form).</summary>
    internal static (TypeBuilder Type, FieldBuilder[] Globals, bool[] GlobalIsDirect, FieldBuilder[] Tables, FieldBuilder[] Imports) DefineContext(
        ModuleBuilder moduleBuilder, ModuleDefinition module)
    {
        var contextType = moduleBuilder.DefineType("Context", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class, typeof(InstanceContext));
        contextType.DefineDefaultConstructor(MethodAttributes.Public);

        var exportedGlobals = module.Exports.Where(e => e.Kind == ExternKind.Global).Select(e => e.Index).ToHashSet();
        var globalCount = module.TotalGlobalCount;
        var globalFields = new FieldBuilder[globalCount];
        var globalIsDirect = new bool[globalCount];
        for (var i = 0; i < globalCount; i++)
        {
            // Defined, unexported globals are plain typed fields; imported/exported ones are shared Global cells.
            var direct = i >= module.ImportedGlobalCount && !exportedGlobals.Contains((uint)i);
            globalIsDirect[i] = direct;
            var fieldType = direct ? ClrTypes.Of(module.GetGlobalType((uint)i).Kind) : typeof(Global);
            globalFields[i] = contextType.DefineField("g" + i, fieldType, FieldAttributes.Public);
        }

        var tableFields = new FieldBuilder[module.TotalTableCount];
        for (var i = 0; i < tableFields.Length; i++)
        {
            tableFields[i] = contextType.DefineField("t" + i, typeof(Table), FieldAttributes.Public);
        }

        var importFields = new FieldBuilder[module.ImportedFunctionCount];
        for (var i = 0; i < importFields.Length; i++)
        {
            importFields[i] = contextType.DefineField("f" + i, typeof(Func), FieldAttributes.Public);
        }

        return (contextType, globalFields, globalIsDirect, tableFields, importFields);
    }

    /// <summary>Declares the method of defined function <paramref name="defined"/> (its body is emitted separately).</summary>
    internal static MethodBuilder DefineFunction(TypeBuilder type, ModuleDefinition module, TypeBuilder contextType, int defined, bool fullOpts)
    {
        var index = (uint)(module.ImportedFunctionCount + defined);
        var signature = module.Types[(int)module.FunctionTypeIndices[defined]];
        var method = type.DefineMethod(
            CompiledModule.MethodName(index),
            MethodAttributes.Public | MethodAttributes.Static,
            ClrTypes.Return(signature.Results),
            ClrTypes.Parameters(signature, contextType));
        if (fullOpts)
        {
            method.SetImplementationFlags(MethodImplAttributes.AggressiveOptimization);
        }

        return method;
    }

    /// <summary>Counts a compilation (<see cref="CompilationCount"/>).</summary>
    internal static void CountCompilation() => Interlocked.Increment(ref s_compilations);

    private static (ModuleCompilation Compilation, TypeBuilder Context, TypeBuilder Functions) Emit(
        Engine engine, ModuleDefinition module, string? name, AssemblyBuilder assembly, string moduleName)
    {
        Interlocked.Increment(ref s_compilations);
        AccessChecks.Apply(assembly);
        var moduleBuilder = assembly.DefineDynamicModule(moduleName);

        var (contextType, globalFields, globalIsDirect, tableFields, importFields) = DefineContext(moduleBuilder, module);

        var functionsType = moduleBuilder.DefineType("Functions", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Abstract | TypeAttributes.Class);
        var methods = new MethodBuilder[module.FunctionTypeIndices.Count];
        var fullOpts = methods.Length <= FullOptsFunctionLimit;
        for (var i = 0; i < methods.Length; i++)
        {
            methods[i] = DefineFunction(functionsType, module, contextType, i, fullOpts);
        }

        var helpersType = moduleBuilder.DefineType("Helpers", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Abstract | TypeAttributes.Class);
        var compilation = new ModuleCompilation
        {
            ModuleBuilder = moduleBuilder,
            HelpersType = helpersType,
            OffsetMaps = new int[methods.Length][],
            Definition = module,
            Engine = engine,
            ContextType = contextType,
            Methods = methods,
            GlobalFields = globalFields,
            GlobalIsDirect = globalIsDirect,
            TableFields = tableFields,
            ImportFields = importFields,
        };

        var start = PhaseTimings.Start();
        foreach (var body in module.Bodies)
        {
            FunctionSplitter.Compile(compilation, body, methods[(int)body.FunctionIndex - module.ImportedFunctionCount]);
        }

        foreach (var frame in compilation.Frames)
        {
            frame.Create();
        }

        compilation.EmitSignatureInitializer();
        PhaseTimings.Stop("emit", start);
        compilation.CreateTypesStart = PhaseTimings.Start();
        foreach (var oversized in compilation.Oversized)
        {
            System.Diagnostics.Trace.TraceWarning(
                "wasm function {0} of module {1} exceeds the JIT's full-optimisation limits (IL {2} bytes, {3} locals, {4} labels)",
                oversized.FunctionIndex, name ?? "<module>", oversized.IlBytes, oversized.Locals, oversized.Branches);
        }

        return (compilation, contextType, functionsType);
    }
}
