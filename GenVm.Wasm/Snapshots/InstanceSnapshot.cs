using GenVm.Wasm.Runtime;

namespace GenVm.Wasm.Snapshots;

/// <summary>
/// The complete mutable state of an instance between two calls: the bytes and size of every linear memory it
/// defines, every global it defines, the size and contents of every table it defines, and which passive data and
/// element segments were dropped. <see cref="Restore"/> puts that state into another instance of the same module
/// (fresh or used) so it continues exactly as the captured one would; <see cref="Instantiate"/> does so for a new
/// instance. Functions in tables and globals are kept as function indices, so a restored table calls the target
/// instance's own functions and host imports.
/// </summary>
/// <remarks>
/// Engine-level only: state the embedder keeps for the instance (a WASI descriptor table, streams, random sources)
/// is not part of it; see <see cref="WasiStartupRecorder"/> for plain WASI. A snapshot may only be taken of
/// an instance whose state lives entirely inside it: a module that imports a memory, a table or a mutable global is
/// refused, and so is a table or global that holds a host reference or a function of another instance.
/// Memory is charged to the target store's <see cref="Store.Limiter"/> exactly as the instantiation and
/// <c>memory.grow</c>/<c>table.grow</c> calls that produced the captured sizes were: a restore charges (or, into a
/// larger used instance, gives back) the difference between the target's current size and the captured one.
/// Thread-safe for concurrent restores; dispose it when no restore will follow.
/// </remarks>
public sealed partial class InstanceSnapshot : IDisposable
{
    private const int NullFunction = -1;

    private readonly MemoryImage[] _memories;
    private readonly long[] _globalBits;
    private readonly int[] _globalFunctions;
    private readonly int[][] _tables;
    private readonly byte[][] _datas;
    private readonly int[][] _elements;
    private readonly Value[] _importedGlobals;
    private bool _disposed;

    private InstanceSnapshot(Module module, MemoryImage[] memories, long[] globalBits, int[] globalFunctions, int[][] tables, byte[][] datas, int[][] elements, Value[] importedGlobals)
    {
        Module = module;
        _memories = memories;
        _globalBits = globalBits;
        _globalFunctions = globalFunctions;
        _tables = tables;
        _datas = datas;
        _elements = elements;
        _importedGlobals = importedGlobals;
    }

    /// <summary>The module the snapshot was taken from; restores accept any module compiled from the same bytes under the same engine configuration.</summary>
    public Module Module { get; }

    /// <summary>Total bytes of the captured linear memories (their sizes, not what the image occupies).</summary>
    public long MemoryBytes => _memories.Sum(m => m.Length);

    /// <summary>Whether restores map the memory images copy-on-write rather than copying them.</summary>
    public bool IsMapped => _memories.All(m => m.Length == 0 || m.IsMapped);

    /// <summary>Captures the state of <paramref name="instance"/>, which must not be running (call this between calls).</summary>
    /// <param name="instance">The instance.</param>
    /// <param name="copyOnWrite">
    /// Whether restores map the memory images copy-on-write (Linux; the default): a restore then costs the same for
    /// any memory size and only pages the guest touches afterwards are faulted in. When false, or on other systems,
    /// restores copy the bytes. Both give the same memory contents.
    /// </param>
    /// <exception cref="SnapshotMismatchException">The instance is running, or part of its state lives outside it.</exception>
    public static InstanceSnapshot Capture(Instance instance, bool copyOnWrite = true)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var context = instance.Context ?? throw new SnapshotMismatchException("the instance is not initialised");
        var store = instance.Store;
        if (store.State.EntryCount != 0)
        {
            throw new SnapshotMismatchException("cannot snapshot an instance while guest code is running in its store");
        }

        var module = instance.Module;
        var definition = module.Definition;
        if (definition.ImportedMemoryCount > 0 || definition.ImportedTableCount > 0)
        {
            throw new SnapshotMismatchException("cannot snapshot an instance that imports a memory or a table: its state lives outside the instance");
        }

        var importedGlobals = new Value[definition.ImportedGlobalCount];
        for (var i = 0; i < importedGlobals.Length; i++)
        {
            var cell = context.Globals[i]!;
            if (cell.Type.Mutable)
            {
                throw new SnapshotMismatchException("cannot snapshot an instance that imports a mutable global: its state lives outside the instance");
            }

            importedGlobals[i] = cell.Value;
        }

        var functions = new FunctionIndexer(instance, context);
        var compiled = module.Compiled;
        var globalCount = definition.TotalGlobalCount - definition.ImportedGlobalCount;
        var globalBits = new long[globalCount];
        var globalFunctions = new int[globalCount];
        for (var i = 0; i < globalCount; i++)
        {
            var index = definition.ImportedGlobalCount + i;
            var value = compiled.GlobalIsDirect[index]
                ? FromField(definition.Globals[i].Type.Kind, compiled.GlobalFields[index].GetValue(context))
                : context.Globals[index]!.Value;
            globalBits[i] = value.Bits;
            globalFunctions[i] = value.Kind switch
            {
                ValueKind.FuncRef => functions.IndexOf(value.Reference, "a global"),
                ValueKind.ExternRef when value.Reference is not null => throw new SnapshotMismatchException("cannot snapshot a global holding a host reference"),
                _ => NullFunction,
            };
        }

        var tables = new int[definition.Tables.Count][];
        for (var i = 0; i < tables.Length; i++)
        {
            var elements = context.Tables[i].Elements;
            var indices = new int[elements.Length];
            for (var j = 0; j < elements.Length; j++)
            {
                indices[j] = functions.IndexOf(elements[j], "a table");
            }

            tables[i] = indices;
        }

        // Segments are immutable arrays replaced by [] when dropped, so the captured references stay valid.
        var datas = (byte[][])context.Datas.Clone();
        var segments = new int[context.Elements.Length][];
        for (var i = 0; i < segments.Length; i++)
        {
            segments[i] = context.Elements[i].Select(e => functions.IndexOf(e, "an element segment")).ToArray();
        }

        var memories = new MemoryImage[definition.Memories.Count];
        try
        {
            for (var i = 0; i < memories.Length; i++)
            {
                memories[i] = MemoryImage.Capture(context.Memories[i], copyOnWrite);
            }
        }
        catch
        {
            foreach (var image in memories)
            {
                image?.Dispose();
            }

            throw;
        }

        return new InstanceSnapshot(module, memories, globalBits, globalFunctions, tables, datas, segments, importedGlobals);
    }

    /// <summary>
    /// Instantiates <see cref="Module"/> in <paramref name="store"/> through <paramref name="linker"/> (which runs its
    /// start function, if any) and restores the snapshot into the new instance.
    /// </summary>
    /// <exception cref="ResourceExhaustedException">The store's limiter refused the captured sizes.</exception>
    public Instance Instantiate(Linker linker, Store store)
    {
        ArgumentNullException.ThrowIfNull(linker);
        ArgumentNullException.ThrowIfNull(store);
        ObjectDisposedException.ThrowIf(_disposed, this);
        // Restore replaces every memory (a snapshot's module defines all of them), so the data segments are not copied.
        var instance = linker.Instantiate(store, Module, applyDataSegments: false);
        Restore(instance);
        return instance;
    }

    /// <summary>
    /// Makes <paramref name="target"/>, an idle instance of a module compiled from the same bytes under the same
    /// engine configuration, hold exactly the captured state. On failure the target is unusable (dispose its store).
    /// </summary>
    /// <exception cref="SnapshotMismatchException">The target's module or engine configuration differs, or it is running.</exception>
    /// <exception cref="ResourceExhaustedException">The target store's limiter refused the captured sizes.</exception>
    public void Restore(Instance target)
    {
        ArgumentNullException.ThrowIfNull(target);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var context = target.Context ?? throw new SnapshotMismatchException("the instance is not initialised");
        if (!ModuleIdentity.Same(Module, target.Module))
        {
            throw new SnapshotMismatchException("the snapshot was taken from another module or engine configuration");
        }

        var store = target.Store;
        if (store.State.EntryCount != 0)
        {
            throw new SnapshotMismatchException("cannot restore into an instance while guest code is running in its store");
        }

        var definition = target.Module.Definition;
        for (var i = 0; i < _importedGlobals.Length; i++)
        {
            if (context.Globals[i]!.Value != _importedGlobals[i])
            {
                throw new SnapshotMismatchException($"imported global {i} has another value than when the snapshot was taken");
            }
        }

        var limiter = store.Limiter;
        for (var i = 0; i < _memories.Length; i++)
        {
            var memory = context.Memories[i];
            var image = _memories[i];
            var current = memory.Length;
            var maximum = memory.Type.Limits.Maximum is uint m ? (long)m * Memory.PageSize : (long?)null;
            if (image.Length > current && limiter is not null && !limiter.MemoryGrowing(current, image.Length, maximum))
            {
                // wasm-abi.md §12: a refused allocation outside guest code is OOM for the embedder.
                throw new ResourceExhaustedException("memory", image.Length - current);
            }

            try
            {
                image.RestoreInto(memory);
            }
            catch
            {
                if (image.Length > current)
                {
                    limiter?.MemoryGrowFailed(current, image.Length);
                }

                throw;
            }

            if (image.Length < current)
            {
                limiter?.MemoryShrunk(current, image.Length);
            }
        }

        var functions = context.Functions;
        var compiled = target.Module.Compiled;
        for (var i = 0; i < _globalBits.Length; i++)
        {
            var index = definition.ImportedGlobalCount + i;
            var kind = definition.Globals[i].Type.Kind;
            var value = kind switch
            {
                ValueKind.FuncRef => Value.FromFuncRef(_globalFunctions[i] == NullFunction ? null : functions[_globalFunctions[i]]),
                ValueKind.ExternRef => Value.FromExternRef(null),
                _ => ValueMarshal.FromCell(kind, _globalBits[i], null),
            };
            if (compiled.GlobalIsDirect[index])
            {
                compiled.GlobalFields[index].SetValue(context, ToField(value));
            }
            else
            {
                context.Globals[index]!.SetUnchecked(value);
            }
        }

        for (var i = 0; i < _tables.Length; i++)
        {
            var table = context.Tables[i];
            var indices = _tables[i];
            var current = table.Elements.Length;
            if (indices.Length > current && limiter is not null && !limiter.TableGrowing(current, indices.Length, table.Type.Limits.Maximum))
            {
                throw new ResourceExhaustedException("table", (indices.Length - current) * PoolLimiter.TableEntryCost);
            }

            if (indices.Length < current)
            {
                limiter?.TableShrunk(current, indices.Length);
            }

            table.Elements = Resolve(indices, functions);
        }

        context.Datas = (byte[][])_datas.Clone();
        var elements = new object?[_elements.Length][];
        for (var i = 0; i < elements.Length; i++)
        {
            elements[i] = Resolve(_elements[i], functions);
        }

        context.Elements = elements;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var image in _memories)
        {
            image.Dispose();
        }
    }

    /// <summary>A copy of the captured bytes of defined memory <paramref name="index"/> (for checks and tests).</summary>
    public byte[] ReadMemory(int index)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var image = _memories[index];
        var bytes = new byte[image.Length];
        for (long offset = 0; offset < image.Length; offset += 1 << 20)
        {
            var length = (int)Math.Min(1 << 20, image.Length - offset);
            image.Chunk(offset, length).CopyTo(bytes.AsSpan((int)offset, length));
        }

        return bytes;
    }

    private static object?[] Resolve(int[] indices, Func[] functions)
    {
        var result = new object?[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            var index = indices[i];
            result[i] = index == NullFunction ? null : functions[index];
        }

        return result;
    }

    private static Value FromField(ValueKind kind, object? boxed) => kind switch
    {
        ValueKind.I32 => Value.FromI32((int)boxed!),
        ValueKind.I64 => Value.FromI64((long)boxed!),
        ValueKind.F32 => Value.FromF32Bits(BitConverter.SingleToInt32Bits((float)boxed!)),
        ValueKind.F64 => Value.FromF64Bits(BitConverter.DoubleToInt64Bits((double)boxed!)),
        ValueKind.FuncRef => Value.FromFuncRef((Func?)boxed),
        _ => Value.FromExternRef(boxed),
    };

    private static object? ToField(Value value) => value.Kind switch
    {
        ValueKind.I32 => value.I32,
        ValueKind.I64 => value.I64,
        ValueKind.F32 => BitConverter.Int32BitsToSingle((int)value.Bits),
        ValueKind.F64 => BitConverter.Int64BitsToDouble(value.Bits),
        _ => value.Reference,
    };

    /// <summary>Maps the references a snapshot may hold (functions of the instance's index space) to their indices.</summary>
    private sealed class FunctionIndexer(Instance instance, InstanceContext context)
    {
        private Dictionary<object, int>? _imports;

        public int IndexOf(object? reference, string where)
        {
            switch (reference)
            {
                case null:
                    return NullFunction;
                case Func { Instance: { } owner } func when ReferenceEquals(owner, instance):
                    return (int)func.FunctionIndex;
                case Func func:
                    _imports ??= BuildImports();
                    return _imports.TryGetValue(func, out var index)
                        ? index
                        : throw new SnapshotMismatchException($"cannot snapshot {where} holding a function that is not in the instance's index space");
                default:
                    throw new SnapshotMismatchException($"cannot snapshot {where} holding a host reference");
            }
        }

        private Dictionary<object, int> BuildImports()
        {
            var imports = new Dictionary<object, int>(ReferenceEqualityComparer.Instance);
            var count = instance.Module.Definition.ImportedFunctionCount;
            for (var i = 0; i < count; i++)
            {
                imports.TryAdd(context.Functions[i], i);
            }

            return imports;
        }
    }
}
