using GenVm.Wasm.Binary;

namespace GenVm.Wasm.Snapshots;

/// <summary>The instance section of a snapshot file (<see cref="SnapshotFile"/>): everything but the memory bytes.</summary>
public sealed partial class InstanceSnapshot
{
    /// <summary>The captured memory images, for <see cref="SnapshotFile"/>'s page scan.</summary>
    internal IReadOnlyList<MemoryImage> Memories => _memories;

    /// <summary>
    /// Writes the instance section: imported global values, defined globals (kind, bits, function index), tables and
    /// element segments as function indices (-1 null), which data segments are still present, and per memory its
    /// length and the page runs <paramref name="runs"/> that hold its non-zero bytes (file offsets relative to the
    /// data region).
    /// </summary>
    /// <exception cref="SnapshotMismatchException">An imported global holds a reference (it has no name on disk).</exception>
    internal void Encode(SnapshotWriter writer, IReadOnlyList<PageRun>[] runs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        writer.WriteUInt32((uint)_importedGlobals.Length);
        foreach (var value in _importedGlobals)
        {
            if (value.Reference is not null)
            {
                throw new SnapshotMismatchException("cannot write a snapshot of an instance importing a global that holds a reference");
            }

            writer.WriteByte((byte)value.Kind);
            writer.WriteInt64(value.Bits);
        }

        var definition = Module.Definition;
        writer.WriteUInt32((uint)_globalBits.Length);
        for (var i = 0; i < _globalBits.Length; i++)
        {
            writer.WriteByte((byte)definition.Globals[i].Type.Kind);
            writer.WriteInt64(_globalBits[i]);
            writer.WriteInt32(_globalFunctions[i]);
        }

        WriteIndexLists(writer, _tables);
        writer.WriteUInt32((uint)_datas.Length);
        foreach (var data in _datas)
        {
            writer.WriteByte(data.Length > 0 ? (byte)1 : (byte)0);
        }

        WriteIndexLists(writer, _elements);
        writer.WriteUInt32((uint)_memories.Length);
        for (var i = 0; i < _memories.Length; i++)
        {
            writer.WriteInt64(_memories[i].Length);
            writer.WriteUInt32((uint)runs[i].Count);
            foreach (var run in runs[i])
            {
                writer.WriteInt64(run.Offset);
                writer.WriteInt64(run.Length);
                writer.WriteInt64(run.FileOffset);
            }
        }
    }

    /// <summary>
    /// Reads what <see cref="Encode"/> wrote and checks it against <paramref name="module"/>: counts and kinds match
    /// its definition, function indices are in its index space, sizes within its limits, and the page runs are
    /// ascending, <paramref name="unit"/>-aligned, inside their memory and packed one after the other into exactly
    /// <paramref name="dataLength"/> bytes.
    /// </summary>
    /// <exception cref="SnapshotFormatException">The section is malformed or does not fit the module.</exception>
    internal static Layout Decode(ref SnapshotReader reader, Module module, int unit, long dataLength)
    {
        var definition = module.Definition;
        var functionCount = definition.TotalFunctionCount;
        var importedCount = reader.ReadCount(9);
        if (importedCount != definition.ImportedGlobalCount)
        {
            throw reader.Fail($"{importedCount} imported globals, the module has {definition.ImportedGlobalCount}");
        }

        var importedGlobals = new Value[importedCount];
        for (var i = 0; i < importedCount; i++)
        {
            var kind = ReadKind(ref reader, definition.GetGlobalType((uint)i).Kind);
            var bits = ReadBits(ref reader, kind);
            importedGlobals[i] = kind switch
            {
                ValueKind.FuncRef => Value.FromFuncRef(null),
                ValueKind.ExternRef => Value.FromExternRef(null),
                _ => Runtime.ValueMarshal.FromCell(kind, bits, null),
            };
        }

        var globalCount = reader.ReadCount(13);
        if (globalCount != definition.Globals.Count)
        {
            throw reader.Fail($"{globalCount} globals, the module defines {definition.Globals.Count}");
        }

        var globalBits = new long[globalCount];
        var globalFunctions = new int[globalCount];
        for (var i = 0; i < globalCount; i++)
        {
            var kind = ReadKind(ref reader, definition.Globals[i].Type.Kind);
            globalBits[i] = ReadBits(ref reader, kind);
            globalFunctions[i] = kind == ValueKind.FuncRef ? ReadFunction(ref reader, functionCount) : ReadNull(ref reader);
        }

        var tableCount = reader.ReadCount(4);
        if (tableCount != definition.Tables.Count)
        {
            throw reader.Fail($"{tableCount} tables, the module defines {definition.Tables.Count}");
        }

        var tables = new int[tableCount][];
        for (var i = 0; i < tableCount; i++)
        {
            var type = definition.Tables[i];
            var start = reader.BytesConsumed;
            tables[i] = ReadIndexList(ref reader, type.ElementKind == ValueKind.FuncRef ? functionCount : 0);
            if ((uint)tables[i].Length < type.Limits.Minimum || (type.Limits.Maximum is uint max && (uint)tables[i].Length > max))
            {
                throw new SnapshotFormatException($"table {i} has {tables[i].Length} elements, outside its limits", reader.BaseOffset + start);
            }
        }

        var dataCount = reader.ReadCount(1);
        if (dataCount != definition.Datas.Count)
        {
            throw reader.Fail($"{dataCount} data segments, the module has {definition.Datas.Count}");
        }

        var datas = new byte[dataCount][];
        for (var i = 0; i < dataCount; i++)
        {
            var segment = definition.Datas[i];
            var present = reader.ReadBoolean();
            if (present && (segment.Mode != SegmentMode.Passive || segment.DataLength == 0))
            {
                throw reader.Fail($"data segment {i} is marked present but is not a non-empty passive segment");
            }

            // Segments are immutable: a present one holds the module's bytes (InstanceSnapshot.Capture keeps references).
            datas[i] = present ? definition.Bytes.AsSpan(segment.DataOffset, segment.DataLength).ToArray() : [];
        }

        var elementCount = reader.ReadCount(4);
        if (elementCount != definition.Elements.Count)
        {
            throw reader.Fail($"{elementCount} element segments, the module has {definition.Elements.Count}");
        }

        var elements = new int[elementCount][];
        for (var i = 0; i < elementCount; i++)
        {
            elements[i] = ReadIndexList(ref reader, definition.Elements[i].ElementKind == ValueKind.FuncRef ? functionCount : 0);
        }

        var memoryCount = reader.ReadCount(12);
        if (memoryCount != definition.Memories.Count)
        {
            throw reader.Fail($"{memoryCount} memories, the module defines {definition.Memories.Count}");
        }

        var memories = new MemoryLayout[memoryCount];
        long packed = 0;
        for (var i = 0; i < memoryCount; i++)
        {
            var limits = definition.Memories[i].Limits;
            var length = reader.ReadInt64();
            var maximum = (long)Math.Min(limits.Maximum ?? Memory.MaxPages, Memory.MaxPages) * Memory.PageSize;
            if (length < 0 || length % Memory.PageSize != 0 || length < (long)limits.Minimum * Memory.PageSize || length > maximum)
            {
                throw new SnapshotFormatException($"memory {i} length {length} is not a page count within its limits", reader.BaseOffset + reader.BytesConsumed - 8);
            }

            var runs = new PageRun[reader.ReadCount(24)];
            long end = 0;
            for (var j = 0; j < runs.Length; j++)
            {
                var at = reader.BaseOffset + reader.BytesConsumed;
                var run = new PageRun(reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64());
                if (run.Offset < end || run.Length <= 0 || run.Offset % unit != 0 || run.Length % unit != 0
                    || run.Length > length - run.Offset || run.FileOffset != packed)
                {
                    throw new SnapshotFormatException($"memory {i} page run {j} is out of order, unaligned, outside the memory or not packed", at);
                }

                end = run.Offset + run.Length;
                packed += run.Length;
                runs[j] = run;
            }

            memories[i] = new MemoryLayout(length, runs);
        }

        if (packed != dataLength)
        {
            throw reader.Fail($"the page runs hold {packed} bytes, the data region has {dataLength}");
        }

        return new Layout(importedGlobals, globalBits, globalFunctions, tables, datas, elements, memories);
    }

    /// <summary>Builds the snapshot of <paramref name="module"/> from a decoded section and its memory images (the snapshot owns them).</summary>
    internal static InstanceSnapshot FromLayout(Module module, Layout layout, MemoryImage[] images) =>
        new(module, images, layout.GlobalBits, layout.GlobalFunctions, layout.Tables, layout.Datas, layout.Elements, layout.ImportedGlobals);

    private static void WriteIndexLists(SnapshotWriter writer, int[][] lists)
    {
        writer.WriteUInt32((uint)lists.Length);
        foreach (var list in lists)
        {
            writer.WriteUInt32((uint)list.Length);
            foreach (var index in list)
            {
                writer.WriteInt32(index);
            }
        }
    }

    private static int[] ReadIndexList(ref SnapshotReader reader, int functionCount)
    {
        var list = new int[reader.ReadCount(4)];
        for (var i = 0; i < list.Length; i++)
        {
            list[i] = ReadFunction(ref reader, functionCount);
        }

        return list;
    }

    private static int ReadFunction(ref SnapshotReader reader, int functionCount)
    {
        var index = reader.ReadInt32();
        if (index < NullFunction || index >= functionCount)
        {
            throw new SnapshotFormatException($"function index {index} is outside the module's {functionCount} functions", reader.BaseOffset + reader.BytesConsumed - 4);
        }

        return index;
    }

    private static int ReadNull(ref SnapshotReader reader)
    {
        var index = reader.ReadInt32();
        return index == NullFunction
            ? index
            : throw new SnapshotFormatException($"a non-reference global has function index {index}", reader.BaseOffset + reader.BytesConsumed - 4);
    }

    private static ValueKind ReadKind(ref SnapshotReader reader, ValueKind expected)
    {
        var kind = (ValueKind)reader.ReadByte();
        return kind == expected
            ? kind
            : throw new SnapshotFormatException($"global of kind {kind}, the module declares {expected}", reader.BaseOffset + reader.BytesConsumed - 1);
    }

    private static long ReadBits(ref SnapshotReader reader, ValueKind kind)
    {
        var bits = reader.ReadInt64();
        var valid = kind switch
        {
            // Value keeps 32-bit values zero-extended.
            ValueKind.I32 or ValueKind.F32 => (ulong)bits <= uint.MaxValue,
            ValueKind.I64 or ValueKind.F64 => true,
            _ => bits == 0,
        };
        return valid ? bits : throw new SnapshotFormatException($"value bits 0x{bits:x} are not a {kind}", reader.BaseOffset + reader.BytesConsumed - 8);
    }

    /// <summary>One memory of a decoded instance section.</summary>
    internal readonly record struct MemoryLayout(long Length, PageRun[] Runs);

    /// <summary>A decoded instance section, before its memory images are mapped.</summary>
    internal sealed record Layout(Value[] ImportedGlobals, long[] GlobalBits, int[] GlobalFunctions, int[][] Tables, byte[][] Datas, int[][] Elements, MemoryLayout[] Memories);
}
