using System.Reflection;
using System.Runtime.CompilerServices;
using GenVm.Wasm.Binary;

namespace GenVm.Wasm.Compilation;

/// <summary>
/// The compiled form of a module: the generated context type, one static method per defined function, and the
/// fields the instantiator fills. Also maps compiled methods back to wasm functions for trap backtraces.
/// </summary>
internal sealed class CompiledModule
{
    private static readonly ConditionalWeakTable<Type, CompiledModule> Registry = new();

    private readonly ModuleDefinition _definition;
    private nint[]? _entryPoints;

    /// <summary>
    /// Binds the compiled types. <paramref name="functionsType"/> holds a method <c>f{index}</c> per defined
    /// function; with <paramref name="describesFrames"/> false (a lazy module's forwarders) its methods are not
    /// wasm frames in backtraces (the types holding the bodies are registered by <see cref="RegisterCode"/>).
    /// </summary>
    public CompiledModule(ModuleDefinition definition, string? name, Type contextType, Type functionsType, IReadOnlyList<OversizedFunction> oversized, bool describesFrames = true)
    {
        _definition = definition;
        Name = name;
        ContextType = contextType;
        FunctionsType = functionsType;
        Oversized = oversized;
        // One reflection pass (GetMethod by name per function would be quadratic on large modules).
        Methods = new MethodInfo[definition.FunctionTypeIndices.Count];
        foreach (var method in functionsType.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
        {
            if (TryParseIndex(method.Name, out var index) && index >= definition.ImportedFunctionCount)
            {
                Methods[index - definition.ImportedFunctionCount] = method;
            }
        }

        GlobalFields = new FieldInfo[definition.TotalGlobalCount];
        for (var i = 0; i < GlobalFields.Length; i++)
        {
            GlobalFields[i] = contextType.GetField("g" + i)!;
        }

        TableFields = new FieldInfo[definition.TotalTableCount];
        for (var i = 0; i < TableFields.Length; i++)
        {
            TableFields[i] = contextType.GetField("t" + i)!;
        }

        ImportFields = new FieldInfo[definition.ImportedFunctionCount];
        for (var i = 0; i < ImportFields.Length; i++)
        {
            ImportFields[i] = contextType.GetField("f" + i)!;
        }

        if (describesFrames)
        {
            Registry.AddOrUpdate(functionsType, this);
        }

        // The helpers' initializer resolves the signature ids call_indirect compares (SignatureRegistry); running it
        // before any function is jitted lets the JIT fold them to constants.
        if (functionsType.Module.GetType("Helpers") is { } helpers)
        {
            RuntimeHelpers.RunClassConstructor(helpers.TypeHandle);
        }
    }

    /// <summary>The module name used in backtraces.</summary>
    public string? Name { get; }

    /// <summary>The generated <see cref="Runtime.InstanceContext"/> subclass.</summary>
    public Type ContextType { get; }

    /// <summary>The generated static class holding the functions.</summary>
    public Type FunctionsType { get; }

    /// <summary>Compiled method per defined function.</summary>
    public MethodInfo[] Methods { get; }

    /// <summary>Per global: a typed value field or a <see cref="Global"/> cell field of the context.</summary>
    public FieldInfo[] GlobalFields { get; }

    /// <summary>Per global: whether <see cref="GlobalFields"/> holds the value itself rather than a cell.</summary>
    public required bool[] GlobalIsDirect { get; init; }

    /// <summary>
    /// Per defined function: (IL offset, wasm offset) pairs at call and trap sites, ascending by IL offset. For a
    /// split function, each outlined piece's pairs follow as <see cref="PieceMarker"/>, piece number, length, pairs.
    /// </summary>
    public required int[][] OffsetMaps { get; init; }

    /// <summary>Starts a piece's part of <see cref="OffsetMaps"/> (IL offsets are never negative).</summary>
    public const int PieceMarker = int.MinValue;

    /// <summary>Per table: the <see cref="Table"/> field of the context.</summary>
    public FieldInfo[] TableFields { get; }

    /// <summary>Per imported function: the <see cref="Func"/> field of the context.</summary>
    public FieldInfo[] ImportFields { get; }

    /// <summary>The on-demand compiler of a lazily compiled module (<see cref="LazyModule"/>), else null.</summary>
    public LazyModule? Lazy { get; init; }

    /// <summary>Functions RyuJIT will compile with MinOpts (candidates for splitting).</summary>
    public IReadOnlyList<OversizedFunction> Oversized { get; }

    /// <summary>Native entry points of the defined functions (JIT stubs until first call).</summary>
    public nint[] EntryPoints
    {
        get
        {
            if (_entryPoints is null)
            {
                var points = new nint[Methods.Length];
                for (var i = 0; i < points.Length; i++)
                {
                    points[i] = Methods[i].MethodHandle.GetFunctionPointer();
                }

                _entryPoints = points;
            }

            return _entryPoints;
        }
    }

    /// <summary>Makes the methods of <paramref name="type"/> (a lazily created group of functions) wasm frames of this module.</summary>
    public void RegisterCode(Type type) => Registry.AddOrUpdate(type, this);

    /// <summary>The name of the method compiled for a function index.</summary>
    public static string MethodName(uint functionIndex) => "f" + functionIndex;

    /// <summary>The pairs of the function's own method (<paramref name="piece"/> -1) or of one of its pieces.</summary>
    private static ReadOnlySpan<int> SiteMap(int[] map, int piece)
    {
        var end = 0;
        while (end < map.Length && map[end] != PieceMarker)
        {
            end += 2;
        }

        if (piece < 0)
        {
            return map.AsSpan(0, end);
        }

        for (var i = end; i + 2 < map.Length; i += 3 + map[i + 2])
        {
            if (map[i + 1] == piece)
            {
                return map.AsSpan(i + 3, map[i + 2]);
            }
        }

        return default;
    }

    private static bool TryParseIndex(string name, out uint index)
    {
        index = 0;
        return name.Length >= 2 && name[0] == 'f' && uint.TryParse(name.AsSpan(1), System.Globalization.NumberStyles.None, null, out index);
    }

    /// <summary>The wasm frame of a compiled method, or null when <paramref name="method"/> is not compiled wasm.</summary>
    public static WasmFrame? TryDescribe(MethodBase method) => TryDescribe(method, -1, out _);

    /// <summary>As <see cref="TryDescribe(MethodBase)"/>, mapping an IL offset of the frame to the wasm code offset.</summary>
    public static WasmFrame? TryDescribe(MethodBase method, int ilOffset) => TryDescribe(method, ilOffset, out _);

    /// <summary>
    /// As <see cref="TryDescribe(MethodBase, int)"/>; <paramref name="isPiece"/> tells an outlined piece of a split
    /// function (method <c>f{index}_{n}</c>, see <see cref="FunctionCompiler"/>) from the function's own method.
    /// </summary>
    public static WasmFrame? TryDescribe(MethodBase method, int ilOffset, out bool isPiece)
    {
        isPiece = false;
        if (method.DeclaringType is not { } type || !Registry.TryGetValue(type, out var module))
        {
            return null;
        }

        var methodName = method.Name;
        var separator = methodName.IndexOf('_', StringComparison.Ordinal);
        if (!TryParseIndex(separator < 0 ? methodName : methodName[..separator], out var index))
        {
            return null;
        }

        isPiece = separator >= 0;
        module._definition.Names.FunctionNames.TryGetValue(index, out var name);
        int? codeOffset = null;
        var defined = (int)index - module._definition.ImportedFunctionCount;
        var map = defined >= 0 && defined < module.OffsetMaps.Length && module.OffsetMaps[defined] is { } all
            ? SiteMap(all, isPiece && int.TryParse(methodName.AsSpan(separator + 1), System.Globalization.NumberStyles.None, null, out var piece) ? piece : -1)
            : default;
        if (ilOffset >= 0 && map.Length > 0)
        {
            // The JIT reports the IL offset where the statement holding the call or throw begins (the last point
            // with an empty IL stack), so the faulting instruction is the first call/trap site at or after it.
            for (var i = 0; i < map.Length; i += 2)
            {
                if (map[i] >= ilOffset)
                {
                    codeOffset = map[i + 1];
                    break;
                }
            }

            codeOffset ??= map.Length >= 2 ? map[^1] : null;
        }

        return new WasmFrame(module.Name, index, name, codeOffset);
    }
}
