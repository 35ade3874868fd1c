namespace GenVm.Wasm.Binary;

/// <summary>
/// Everything the decoder read from a module binary, in binary-format order. Index spaces (functions, tables,
/// memories, globals) put imports first, then definitions, as the spec does. Produced by <see cref="ModuleDecoder"/>,
/// checked by the validator, consumed by the compiler and the runtime. Treat as immutable after decoding.
/// </summary>
internal sealed class ModuleDefinition
{
    /// <summary>Placeholder type of a function import whose type index is out of range (rejected by the validator).</summary>
    public static readonly FuncType UnknownFuncType = new(Array.Empty<ValueKind>(), Array.Empty<ValueKind>());

    private ImportDefinition[][]? importsByKind;

    /// <summary>The module binary (a private copy). Function bodies and data segments are slices of it.</summary>
    public required byte[] Bytes { get; init; }

    /// <summary>
    /// Whether the code section was decoded (<see cref="Bodies"/> and <see cref="CodeSectionEnd"/> hold it). False for
    /// a definition rebuilt from compile cache metadata (<see cref="ModuleMetadata"/>): its code is already compiled,
    /// and it must never reach validation or compilation.
    /// </summary>
    public bool HasCode { get; init; } = true;

    /// <summary>The type section.</summary>
    public List<FuncType> Types { get; } = [];

    /// <summary>The import section, in order.</summary>
    public List<ImportDefinition> Imports { get; } = [];

    /// <summary>Type index of each defined (non-imported) function, in order.</summary>
    public List<uint> FunctionTypeIndices { get; } = [];

    /// <summary>Defined tables.</summary>
    public List<TableType> Tables { get; } = [];

    /// <summary>Defined memories.</summary>
    public List<MemoryType> Memories { get; } = [];

    /// <summary>Defined globals with their initialisers.</summary>
    public List<GlobalDefinition> Globals { get; } = [];

    /// <summary>The export section, in order.</summary>
    public List<ExportDescriptor> Exports { get; } = [];

    /// <summary>The start function index, if any.</summary>
    public uint? StartFunction { get; set; }

    /// <summary>The element section.</summary>
    public List<ElementSegment> Elements { get; } = [];

    /// <summary>The data count section's value, if present.</summary>
    public uint? DataCount { get; set; }

    /// <summary>The code section: one body per defined function.</summary>
    public List<FunctionBody> Bodies { get; } = [];

    /// <summary>The data section.</summary>
    public List<DataSegment> Datas { get; } = [];

    /// <summary>Absolute offset just past the code section (0 without one): where a body with a missing final <c>end</c> runs out.</summary>
    public int CodeSectionEnd { get; set; }

    /// <summary>Every custom section (including "name"), in order.</summary>
    public List<CustomSection> CustomSections { get; } = [];

    /// <summary>The decoded "name" custom section (empty when absent or malformed; a bad name section is ignored).</summary>
    public NameSection Names { get; set; } = new();

    /// <summary>Number of imported functions (the first indices of the function index space).</summary>
    public int ImportedFunctionCount { get; set; }

    /// <summary>Number of imported tables.</summary>
    public int ImportedTableCount { get; set; }

    /// <summary>Number of imported memories.</summary>
    public int ImportedMemoryCount { get; set; }

    /// <summary>Number of imported globals.</summary>
    public int ImportedGlobalCount { get; set; }

    /// <summary>Total functions (imported + defined).</summary>
    public int TotalFunctionCount => ImportedFunctionCount + FunctionTypeIndices.Count;

    /// <summary>Total tables (imported + defined).</summary>
    public int TotalTableCount => ImportedTableCount + Tables.Count;

    /// <summary>Total memories (imported + defined).</summary>
    public int TotalMemoryCount => ImportedMemoryCount + Memories.Count;

    /// <summary>Total globals (imported + defined).</summary>
    public int TotalGlobalCount => ImportedGlobalCount + Globals.Count;

    /// <summary>The signature of a function in the function index space.</summary>
    public FuncType GetFunctionType(uint functionIndex) => Types[(int)GetFunctionTypeIndex(functionIndex)];

    /// <summary>The type index of a function in the function index space.</summary>
    public uint GetFunctionTypeIndex(uint functionIndex)
    {
        if (functionIndex < ImportedFunctionCount)
        {
            return ImportsByKind(ExternKind.Func)[(int)functionIndex].FunctionTypeIndex;
        }

        return FunctionTypeIndices[(int)functionIndex - ImportedFunctionCount];
    }

    /// <summary>The type of a table in the table index space.</summary>
    public TableType GetTableType(uint tableIndex) => tableIndex < ImportedTableCount
        ? (TableType)ImportsByKind(ExternKind.Table)[(int)tableIndex].Type
        : Tables[(int)tableIndex - ImportedTableCount];

    /// <summary>The type of a memory in the memory index space.</summary>
    public MemoryType GetMemoryType(uint memoryIndex) => memoryIndex < ImportedMemoryCount
        ? (MemoryType)ImportsByKind(ExternKind.Memory)[(int)memoryIndex].Type
        : Memories[(int)memoryIndex - ImportedMemoryCount];

    /// <summary>The type of a global in the global index space.</summary>
    public GlobalType GetGlobalType(uint globalIndex) => globalIndex < ImportedGlobalCount
        ? (GlobalType)ImportsByKind(ExternKind.Global)[(int)globalIndex].Type
        : Globals[(int)globalIndex - ImportedGlobalCount].Type;

    /// <summary>The imports of one kind, in order.</summary>
    public IEnumerable<ImportDefinition> ImportsOf(ExternKind kind) => Imports.Where(i => i.Kind == kind);

    /// <summary>
    /// The imports of one kind as an array, built once (the Get*Type lookups are on the validator's and compiler's
    /// hot paths). Call only after decoding is complete.
    /// </summary>
    public ImportDefinition[] ImportsByKind(ExternKind kind)
    {
        var cache = importsByKind;
        if (cache is null || cache[0].Length + cache[1].Length + cache[2].Length + cache[3].Length != Imports.Count)
        {
            cache = new ImportDefinition[4][];
            for (var k = 0; k < 4; k++)
            {
                cache[k] = ImportsOf((ExternKind)k).ToArray();
            }

            importsByKind = cache;
        }

        return cache[(int)kind];
    }

    /// <summary>Public view of the imports.</summary>
    public IReadOnlyList<ImportDescriptor> GetImportDescriptors() =>
        Imports.Select(i => new ImportDescriptor(i.ModuleName, i.Name, i.Kind, i.Type)).ToArray();

    /// <summary>Public view of the exports.</summary>
    public IReadOnlyList<ExportDescriptor> GetExportDescriptors() => Exports.ToArray();
}
