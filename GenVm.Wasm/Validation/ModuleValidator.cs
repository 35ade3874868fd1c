using GenVm.Wasm.Binary;

namespace GenVm.Wasm.Validation;

/// <summary>
/// Checks a decoded module against the validation rules of WebAssembly 2.0 plus tail calls (spec §3.4 "Modules",
/// bodies via <see cref="FunctionValidator"/>), and rejects use of proposals disabled in <see cref="WasmFeatures"/>
/// ("unsupported feature: …"). Error texts are those of the spec test suite's <c>assert_invalid</c> commands.
/// On success every <see cref="FunctionBody.MaxStackHeight"/> is set.
/// </summary>
internal static class ModuleValidator
{
    /// <summary>Most pages a 32-bit memory may declare (spec §3.2.7: 2^16).</summary>
    public const uint MaxMemoryPages = 65536;

    private static int s_validations;

    /// <summary>How many modules this process validated (tests: a compile cache hit validates nothing).</summary>
    public static int ValidationCount => Volatile.Read(ref s_validations);

    /// <summary>Throws <see cref="ModuleValidationException"/> when the module is invalid.</summary>
    /// <exception cref="ModuleValidationException">The module is invalid or uses a disabled feature.</exception>
    /// <exception cref="ModuleDecodeException">A function body holds a malformed instruction.</exception>
    public static void Validate(ModuleDefinition module, WasmFeatures features)
    {
        ArgumentNullException.ThrowIfNull(module);
        Interlocked.Increment(ref s_validations);
        if (!module.HasCode)
        {
            throw new InvalidOperationException("a definition rebuilt from compile cache metadata has no code to validate");
        }

        ValidateTypes(module, features);
        ValidateImports(module, features);
        foreach (var typeIndex in module.FunctionTypeIndices)
        {
            if (typeIndex >= (uint)module.Types.Count)
            {
                throw new ModuleValidationException($"unknown type {typeIndex}");
            }
        }

        foreach (var table in module.Tables)
        {
            ValidateTableType(table, features);
        }

        if (module.TotalTableCount > 1 && !Has(features, WasmFeatures.ReferenceTypes))
        {
            throw new ModuleValidationException("unsupported feature: reference types (multiple tables)");
        }

        foreach (var memory in module.Memories)
        {
            ValidateMemoryType(memory);
        }

        if (module.TotalMemoryCount > 1)
        {
            throw new ModuleValidationException("multiple memories");
        }

        var context = new ValidationContext(module, features);
        var globalContextCount = module.ImportedGlobalCount;
        foreach (var global in module.Globals)
        {
            CheckValueType(global.Type.Kind, features, global.Init.Offset);

            // Spec §3.4.10 (2.0): constant expressions (initialisers, offsets, element items) see only the
            // imported globals.
            ValidateConstExpr(context, global.Init, global.Type.Kind, globalContextCount);
        }

        foreach (var segment in module.Elements)
        {
            ValidateElementSegment(context, segment, features);
        }

        foreach (var segment in module.Datas)
        {
            if (segment.Mode != SegmentMode.Active)
            {
                RequireFeature(features, WasmFeatures.BulkMemory, "bulk memory");
            }
            else
            {
                if (segment.MemoryIndex >= (uint)context.MemoryCount)
                {
                    throw new ModuleValidationException($"unknown memory {segment.MemoryIndex}", null, segment.Offset?.Offset);
                }

                ValidateConstExpr(context, segment.Offset!, ValueKind.I32, context.Module.ImportedGlobalCount);
            }
        }

        if (module.StartFunction is uint start)
        {
            if (start >= (uint)context.FunctionTypes.Length)
            {
                throw new ModuleValidationException($"unknown function {start}");
            }

            var type = context.FunctionTypes[start];
            if (type.Parameters.Length != 0 || type.Results.Length != 0)
            {
                throw new ModuleValidationException("start function");
            }
        }

        ValidateExports(context, features);

        var validator = new FunctionValidator(context);
        foreach (var body in module.Bodies)
        {
            validator.Validate(body);
        }
    }

    private static bool Has(WasmFeatures features, WasmFeatures feature) => (features & feature) == feature;

    private static void RequireFeature(WasmFeatures features, WasmFeatures feature, string name)
    {
        if (!Has(features, feature))
        {
            throw new ModuleValidationException("unsupported feature: " + name);
        }
    }

    private static void CheckValueType(ValueKind kind, WasmFeatures features, long? offset = null)
    {
        if (kind == ValueKind.V128)
        {
            // wasm-abi.md §1.1: SIMD is never supported, whatever the flags say.
            throw new ModuleValidationException("unsupported feature: SIMD", null, offset);
        }

        if (kind is ValueKind.FuncRef or ValueKind.ExternRef && !Has(features, WasmFeatures.ReferenceTypes))
        {
            throw new ModuleValidationException("unsupported feature: reference types", null, offset);
        }
    }

    private static void ValidateTypes(ModuleDefinition module, WasmFeatures features)
    {
        foreach (var type in module.Types)
        {
            foreach (var p in type.Parameters)
            {
                CheckValueType(p, features);
            }

            foreach (var r in type.Results)
            {
                CheckValueType(r, features);
            }

            if (type.Results.Length > 1)
            {
                RequireFeature(features, WasmFeatures.MultiValue, "multi-value");
            }
        }
    }

    private static void ValidateImports(ModuleDefinition module, WasmFeatures features)
    {
        foreach (var import in module.Imports)
        {
            switch (import.Kind)
            {
                case ExternKind.Func:
                    if (import.FunctionTypeIndex >= (uint)module.Types.Count)
                    {
                        throw new ModuleValidationException($"unknown type {import.FunctionTypeIndex}");
                    }

                    break;
                case ExternKind.Table:
                    ValidateTableType((TableType)import.Type, features);
                    break;
                case ExternKind.Memory:
                    ValidateMemoryType((MemoryType)import.Type);
                    break;
                case ExternKind.Global:
                    var global = (GlobalType)import.Type;
                    CheckValueType(global.Kind, features);
                    if (global.Mutable)
                    {
                        RequireFeature(features, WasmFeatures.MutableGlobals, "mutable globals");
                    }

                    break;
            }
        }
    }

    private static void ValidateTableType(TableType table, WasmFeatures features)
    {
        if (table.ElementKind == ValueKind.ExternRef)
        {
            RequireFeature(features, WasmFeatures.ReferenceTypes, "reference types");
        }

        if (table.Limits.Maximum is uint max && table.Limits.Minimum > max)
        {
            throw new ModuleValidationException("size minimum must not be greater than maximum");
        }
    }

    private static void ValidateMemoryType(MemoryType memory)
    {
        var limits = memory.Limits;
        if (limits.Minimum > MaxMemoryPages || limits.Maximum > MaxMemoryPages)
        {
            throw new ModuleValidationException("memory size must be at most 65536 pages (4GiB)");
        }

        if (limits.Maximum is uint max && limits.Minimum > max)
        {
            throw new ModuleValidationException("size minimum must not be greater than maximum");
        }
    }

    private static void ValidateElementSegment(ValidationContext context, ElementSegment segment, WasmFeatures features)
    {
        if (segment.Flags != 0)
        {
            RequireFeature(features, WasmFeatures.BulkMemory, "bulk memory");
        }

        // funcref tables and segments are MVP; only externref needs reference types.
        if (segment.ElementKind != ValueKind.FuncRef)
        {
            CheckValueType(segment.ElementKind, features);
        }

        if (segment.Mode == SegmentMode.Active)
        {
            if (segment.TableIndex >= (uint)context.Tables.Length)
            {
                throw new ModuleValidationException($"unknown table {segment.TableIndex}", null, segment.Offset?.Offset);
            }

            if (context.Tables[segment.TableIndex].ElementKind != segment.ElementKind)
            {
                throw new ModuleValidationException("type mismatch", null, segment.Offset?.Offset);
            }

            ValidateConstExpr(context, segment.Offset!, ValueKind.I32, context.Module.ImportedGlobalCount);
        }

        foreach (var item in segment.Items)
        {
            ValidateConstExpr(context, item, segment.ElementKind, context.Module.ImportedGlobalCount);
        }
    }

    private static void ValidateExports(ValidationContext context, WasmFeatures features)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var export in context.Module.Exports)
        {
            if (!names.Add(export.Name))
            {
                throw new ModuleValidationException("duplicate export name");
            }

            var (count, what) = export.Kind switch
            {
                ExternKind.Func => (context.FunctionTypes.Length, "function"),
                ExternKind.Table => (context.Tables.Length, "table"),
                ExternKind.Memory => (context.MemoryCount, "memory"),
                _ => (context.Globals.Length, "global"),
            };
            if (export.Index >= (uint)count)
            {
                throw new ModuleValidationException($"unknown {what} {export.Index}");
            }

            if (export.Kind == ExternKind.Func)
            {
                context.DeclaredFunctions[export.Index] = true;
            }

            if (export.Kind == ExternKind.Global && context.Globals[export.Index].Mutable)
            {
                RequireFeature(features, WasmFeatures.MutableGlobals, "mutable globals");
            }
        }
    }

    /// <summary>
    /// Spec §3.3.10 constant expressions: only <c>*.const</c>, <c>ref.null</c>, <c>ref.func</c> and <c>global.get</c>
    /// of an immutable global, leaving exactly one value of the expected type. Records <c>ref.func</c> targets in
    /// <c>C.refs</c>.
    /// </summary>
    private static void ValidateConstExpr(ValidationContext context, ConstExpr expr, ValueKind expected, int visibleGlobals)
    {
        var depth = 0;
        var top = (ValueKind)0;
        foreach (var instruction in expr.Instructions)
        {
            ValueKind pushed;
            switch (instruction.Opcode)
            {
                case Opcode.I32Const:
                    pushed = ValueKind.I32;
                    break;
                case Opcode.I64Const:
                    pushed = ValueKind.I64;
                    break;
                case Opcode.F32Const:
                    pushed = ValueKind.F32;
                    break;
                case Opcode.F64Const:
                    pushed = ValueKind.F64;
                    break;
                case Opcode.RefNull:
                    RequireFeature(context.Features, WasmFeatures.ReferenceTypes, "reference types");
                    pushed = instruction.RefKind;
                    break;
                case Opcode.RefFunc:
                    if (instruction.Index >= (uint)context.FunctionTypes.Length)
                    {
                        throw new ModuleValidationException($"unknown function {instruction.Index}", null, expr.Offset);
                    }

                    context.DeclaredFunctions[instruction.Index] = true;
                    pushed = ValueKind.FuncRef;
                    break;
                case Opcode.GlobalGet:
                    if (instruction.Index >= (uint)visibleGlobals)
                    {
                        throw new ModuleValidationException($"unknown global {instruction.Index}", null, expr.Offset);
                    }

                    var global = context.Globals[instruction.Index];
                    if (global.Mutable)
                    {
                        throw new ModuleValidationException("constant expression required", null, expr.Offset);
                    }

                    pushed = global.Kind;
                    break;
                default:
                    throw new ModuleValidationException("constant expression required", null, expr.Offset);
            }

            depth++;
            top = pushed;
        }

        if (depth != 1 || top != expected)
        {
            throw new ModuleValidationException("type mismatch", null, expr.Offset);
        }
    }
}
