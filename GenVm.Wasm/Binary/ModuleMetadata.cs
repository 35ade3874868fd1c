namespace GenVm.Wasm.Binary;

/// <summary>
/// Everything of a decoded <see cref="ModuleDefinition"/> that a module needs after load, except the function bodies:
/// types, imports, function type indices, tables, memories, globals with their initialisers, exports, start, element
/// and data segments (data as offsets into the wasm bytes), custom section locations and the name section. The
/// compile cache stores it beside the compiled image, so a cache hit rebuilds the definition from it instead of
/// decoding (and validating) the binary. Readers check every count, index and offset; any inconsistency is a
/// <see cref="MetadataFormatException"/> (the entry is rebuilt, never trusted).
/// </summary>
internal static class ModuleMetadata
{
    /// <summary>Bumped when the encoding changes; an entry of another version is rebuilt.</summary>
    public const uint FormatVersion = 1;

    // Element items: the function-index encodings are stored as an index (the common case: CPython's table has
    // thousands), anything else as a full constant expression.
    private const byte ItemRefFunc = 0;
    private const byte ItemExpression = 1;

    /// <summary>Writes the metadata of <paramref name="definition"/> (decoded, validated) to <paramref name="writer"/>.</summary>
    public static void Write(ModuleDefinition definition, MetadataWriter writer)
    {
        writer.WriteVarUInt32(FormatVersion);
        writer.WriteCount(definition.Bytes.Length);
        writer.WriteCount(definition.Types.Count);
        foreach (var type in definition.Types)
        {
            WriteKinds(writer, type.Parameters.AsSpan());
            WriteKinds(writer, type.Results.AsSpan());
        }

        writer.WriteCount(definition.Imports.Count);
        foreach (var import in definition.Imports)
        {
            writer.WriteString(import.ModuleName);
            writer.WriteString(import.Name);
            writer.WriteByte((byte)import.Kind);
            switch (import.Type)
            {
                case FuncType:
                    writer.WriteVarUInt32(import.FunctionTypeIndex);
                    break;
                case TableType table:
                    WriteTable(writer, table);
                    break;
                case MemoryType memory:
                    WriteLimits(writer, memory.Limits);
                    break;
                case GlobalType global:
                    WriteGlobalType(writer, global);
                    break;
                default:
                    throw new InvalidOperationException("unknown import type");
            }
        }

        writer.WriteCount(definition.FunctionTypeIndices.Count);
        foreach (var index in definition.FunctionTypeIndices)
        {
            writer.WriteVarUInt32(index);
        }

        writer.WriteCount(definition.Tables.Count);
        foreach (var table in definition.Tables)
        {
            WriteTable(writer, table);
        }

        writer.WriteCount(definition.Memories.Count);
        foreach (var memory in definition.Memories)
        {
            WriteLimits(writer, memory.Limits);
        }

        writer.WriteCount(definition.Globals.Count);
        foreach (var global in definition.Globals)
        {
            WriteGlobalType(writer, global.Type);
            WriteExpression(writer, global.Init);
        }

        writer.WriteCount(definition.Exports.Count);
        foreach (var export in definition.Exports)
        {
            writer.WriteString(export.Name);
            writer.WriteByte((byte)export.Kind);
            writer.WriteVarUInt32(export.Index);
        }

        WriteOptional(writer, definition.StartFunction);
        writer.WriteCount(definition.Elements.Count);
        foreach (var segment in definition.Elements)
        {
            writer.WriteByte((byte)segment.Mode);
            writer.WriteVarUInt32(segment.Flags);
            writer.WriteVarUInt32(segment.TableIndex);
            writer.WriteByte((byte)segment.ElementKind);
            writer.WriteBoolean(segment.Offset is not null);
            if (segment.Offset is { } offset)
            {
                WriteExpression(writer, offset);
            }

            writer.WriteCount(segment.Items.Count);
            foreach (var item in segment.Items)
            {
                if (item.Instructions is [{ Opcode: Opcode.RefFunc, RefKind: ValueKind.FuncRef, Bits: 0 } single])
                {
                    writer.WriteByte(ItemRefFunc);
                    writer.WriteVarUInt32(single.Index);
                    writer.WriteCount(item.Offset);
                }
                else
                {
                    writer.WriteByte(ItemExpression);
                    WriteExpression(writer, item);
                }
            }
        }

        WriteOptional(writer, definition.DataCount);
        writer.WriteCount(definition.Datas.Count);
        foreach (var segment in definition.Datas)
        {
            writer.WriteByte((byte)segment.Mode);
            writer.WriteVarUInt32(segment.MemoryIndex);
            writer.WriteBoolean(segment.Offset is not null);
            if (segment.Offset is { } offset)
            {
                WriteExpression(writer, offset);
            }

            writer.WriteCount(segment.DataOffset);
            writer.WriteCount(segment.DataLength);
        }

        writer.WriteCount(definition.CodeSectionEnd);
        writer.WriteCount(definition.CustomSections.Count);
        foreach (var section in definition.CustomSections)
        {
            writer.WriteString(section.Name);
            writer.WriteCount(section.PayloadOffset);
            writer.WriteCount(section.PayloadLength);
        }

        writer.WriteBoolean(definition.Names.ModuleName is not null);
        if (definition.Names.ModuleName is { } moduleName)
        {
            writer.WriteString(moduleName);
        }

        writer.WriteCount(definition.Names.FunctionNames.Count);
        foreach (var (index, name) in definition.Names.FunctionNames.OrderBy(p => p.Key))
        {
            writer.WriteVarUInt32(index);
            writer.WriteString(name);
        }
    }

    /// <summary>
    /// Rebuilds the definition of <paramref name="wasm"/> (the module's bytes, kept by the definition for its data
    /// segments) from metadata written by <see cref="Write"/>. The result has no function bodies
    /// (<see cref="ModuleDefinition.HasCode"/> is false): it serves a module whose code is already compiled.
    /// </summary>
    /// <exception cref="MetadataFormatException">The metadata is malformed, of another version, or does not fit <paramref name="wasm"/>.</exception>
    public static ModuleDefinition Read(ReadOnlySpan<byte> metadata, byte[] wasm)
    {
        var reader = new MetadataReader(metadata);
        var version = reader.ReadVarUInt32();
        if (version != FormatVersion)
        {
            throw new MetadataFormatException($"format version {version}, expected {FormatVersion}", 0);
        }

        if (reader.ReadInt() != wasm.Length)
        {
            throw reader.Fail("written for a binary of another length");
        }

        var definition = new ModuleDefinition { Bytes = wasm, HasCode = false };
        var typeCount = reader.ReadCount(2);
        definition.Types.Capacity = typeCount;
        for (var i = 0; i < typeCount; i++)
        {
            definition.Types.Add(new FuncType(ReadKinds(ref reader), ReadKinds(ref reader)));
        }

        var importCount = reader.ReadCount(4);
        for (var i = 0; i < importCount; i++)
        {
            var moduleName = reader.ReadString();
            var name = reader.ReadString();
            var kind = reader.ReadByte();
            switch ((ExternKind)kind)
            {
                case ExternKind.Func:
                    var typeIndex = reader.ReadInt(typeCount - 1);
                    definition.Imports.Add(new ImportDefinition(moduleName, name, ExternKind.Func, (uint)typeIndex, definition.Types[typeIndex]));
                    definition.ImportedFunctionCount++;
                    break;
                case ExternKind.Table:
                    definition.Imports.Add(new ImportDefinition(moduleName, name, ExternKind.Table, 0, ReadTable(ref reader)));
                    definition.ImportedTableCount++;
                    break;
                case ExternKind.Memory:
                    definition.Imports.Add(new ImportDefinition(moduleName, name, ExternKind.Memory, 0, new MemoryType(ReadLimits(ref reader))));
                    definition.ImportedMemoryCount++;
                    break;
                case ExternKind.Global:
                    definition.Imports.Add(new ImportDefinition(moduleName, name, ExternKind.Global, 0, ReadGlobalType(ref reader)));
                    definition.ImportedGlobalCount++;
                    break;
                default:
                    throw reader.Fail($"unknown import kind {kind}");
            }
        }

        var functionCount = reader.ReadCount();
        definition.FunctionTypeIndices.Capacity = functionCount;
        for (var i = 0; i < functionCount; i++)
        {
            definition.FunctionTypeIndices.Add((uint)reader.ReadInt(typeCount - 1));
        }

        var tableCount = reader.ReadCount(2);
        for (var i = 0; i < tableCount; i++)
        {
            definition.Tables.Add(ReadTable(ref reader));
        }

        var memoryCount = reader.ReadCount(2);
        for (var i = 0; i < memoryCount; i++)
        {
            definition.Memories.Add(new MemoryType(ReadLimits(ref reader)));
        }

        var globalCount = reader.ReadCount(3);
        for (var i = 0; i < globalCount; i++)
        {
            var type = ReadGlobalType(ref reader);
            definition.Globals.Add(new GlobalDefinition(type, ReadExpression(ref reader, definition)));
        }

        var exportCount = reader.ReadCount(3);
        var exportNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < exportCount; i++)
        {
            var name = reader.ReadString();
            var kind = (ExternKind)reader.ReadByte();
            var limit = kind switch
            {
                ExternKind.Func => definition.TotalFunctionCount,
                ExternKind.Table => definition.TotalTableCount,
                ExternKind.Memory => definition.TotalMemoryCount,
                ExternKind.Global => definition.TotalGlobalCount,
                _ => throw reader.Fail($"unknown export kind {(byte)kind}"),
            };
            var index = reader.ReadInt(limit - 1L);
            if (!exportNames.Add(name))
            {
                throw reader.Fail("duplicate export name");
            }

            definition.Exports.Add(new ExportDescriptor(name, kind, (uint)index));
        }

        definition.StartFunction = ReadOptional(ref reader, definition.TotalFunctionCount);
        var elementCount = reader.ReadCount(6);
        for (var i = 0; i < elementCount; i++)
        {
            var mode = ReadMode(ref reader);
            var flags = reader.ReadVarUInt32();
            var tableIndex = (uint)reader.ReadInt(mode == SegmentMode.Active ? definition.TotalTableCount - 1L : 0);
            var kind = ReadKind(ref reader);
            var offset = reader.ReadBoolean() ? ReadExpression(ref reader, definition) : null;
            if ((offset is null) != (mode != SegmentMode.Active))
            {
                throw reader.Fail("element segment offset does not match its mode");
            }

            var items = new ConstExpr[reader.ReadCount(2)];
            for (var j = 0; j < items.Length; j++)
            {
                items[j] = reader.ReadByte() switch
                {
                    ItemRefFunc => ReadRefFunc(ref reader, definition),
                    ItemExpression => ReadExpression(ref reader, definition),
                    var tag => throw reader.Fail($"unknown element item tag {tag}"),
                };
            }

            definition.Elements.Add(new ElementSegment(mode, tableIndex, offset, kind, items) { Flags = flags });
        }

        definition.DataCount = ReadOptional(ref reader, uint.MaxValue);
        var dataCount = reader.ReadCount(5);
        for (var i = 0; i < dataCount; i++)
        {
            var mode = ReadMode(ref reader);
            var memoryIndex = (uint)reader.ReadInt(mode == SegmentMode.Active ? definition.TotalMemoryCount - 1L : 0);
            var offset = reader.ReadBoolean() ? ReadExpression(ref reader, definition) : null;
            if (mode == SegmentMode.Declarative || (offset is null) != (mode != SegmentMode.Active))
            {
                throw reader.Fail("data segment offset does not match its mode");
            }

            var (dataOffset, dataLength) = ReadRange(ref reader, wasm.Length);
            definition.Datas.Add(new DataSegment(mode, memoryIndex, offset, dataOffset, dataLength));
        }

        definition.CodeSectionEnd = reader.ReadInt(wasm.Length);
        var customCount = reader.ReadCount(3);
        for (var i = 0; i < customCount; i++)
        {
            var name = reader.ReadString();
            var (offset, length) = ReadRange(ref reader, wasm.Length);
            definition.CustomSections.Add(new CustomSection(name, offset, length));
        }

        if (reader.ReadBoolean())
        {
            definition.Names.ModuleName = reader.ReadString();
        }

        var nameCount = reader.ReadCount(2);
        definition.Names.FunctionNames.EnsureCapacity(nameCount);
        var previous = -1L;
        for (var i = 0; i < nameCount; i++)
        {
            var index = reader.ReadVarUInt32();
            if (index <= previous)
            {
                throw reader.Fail("function names out of order");
            }

            previous = index;
            definition.Names.FunctionNames[index] = reader.ReadString();
        }

        if (reader.BytesRemaining != 0)
        {
            throw reader.Fail("trailing bytes");
        }

        return definition;
    }

    private static void WriteKinds(MetadataWriter writer, ReadOnlySpan<ValueKind> kinds)
    {
        writer.WriteCount(kinds.Length);
        foreach (var kind in kinds)
        {
            writer.WriteByte((byte)kind);
        }
    }

    private static ValueKind[] ReadKinds(ref MetadataReader reader)
    {
        var count = reader.ReadCount();
        if (count == 0)
        {
            return [];
        }

        var kinds = new ValueKind[count];
        for (var i = 0; i < count; i++)
        {
            kinds[i] = ReadKind(ref reader);
        }

        return kinds;
    }

    private static ValueKind ReadKind(ref MetadataReader reader)
    {
        var kind = (ValueKind)reader.ReadByte();
        return kind is ValueKind.I32 or ValueKind.I64 or ValueKind.F32 or ValueKind.F64 or ValueKind.V128 or ValueKind.FuncRef or ValueKind.ExternRef
            ? kind
            : throw reader.Fail($"unknown value type 0x{(byte)kind:x2}");
    }

    private static SegmentMode ReadMode(ref MetadataReader reader)
    {
        var mode = reader.ReadByte();
        return mode <= (byte)SegmentMode.Declarative ? (SegmentMode)mode : throw reader.Fail($"unknown segment mode {mode}");
    }

    private static void WriteLimits(MetadataWriter writer, Limits limits)
    {
        writer.WriteBoolean(limits.Maximum is not null);
        writer.WriteVarUInt32(limits.Minimum);
        if (limits.Maximum is uint maximum)
        {
            writer.WriteVarUInt32(maximum);
        }
    }

    private static Limits ReadLimits(ref MetadataReader reader)
    {
        var hasMaximum = reader.ReadBoolean();
        var minimum = reader.ReadVarUInt32();
        return new Limits(minimum, hasMaximum ? reader.ReadVarUInt32() : null);
    }

    private static void WriteTable(MetadataWriter writer, TableType table)
    {
        writer.WriteByte((byte)table.ElementKind);
        WriteLimits(writer, table.Limits);
    }

    private static TableType ReadTable(ref MetadataReader reader)
    {
        var kind = ReadKind(ref reader);
        return new TableType(kind, ReadLimits(ref reader));
    }

    private static void WriteGlobalType(MetadataWriter writer, GlobalType type)
    {
        writer.WriteByte((byte)type.Kind);
        writer.WriteBoolean(type.Mutable);
    }

    private static GlobalType ReadGlobalType(ref MetadataReader reader)
    {
        var kind = ReadKind(ref reader);
        return new GlobalType(kind, reader.ReadBoolean());
    }

    private static void WriteOptional(MetadataWriter writer, uint? value)
    {
        writer.WriteBoolean(value is not null);
        if (value is uint present)
        {
            writer.WriteVarUInt32(present);
        }
    }

    private static uint? ReadOptional(ref MetadataReader reader, long limit)
    {
        if (!reader.ReadBoolean())
        {
            return null;
        }

        var value = reader.ReadVarUInt32();
        return value < limit ? value : throw reader.Fail($"index {value} out of range");
    }

    private static (int Offset, int Length) ReadRange(ref MetadataReader reader, int end)
    {
        var offset = reader.ReadInt(end);
        var length = reader.ReadInt(end - offset);
        return (offset, length);
    }

    private static void WriteExpression(MetadataWriter writer, ConstExpr expression)
    {
        writer.WriteCount(expression.Offset);
        writer.WriteCount(expression.Instructions.Count);
        foreach (var instruction in expression.Instructions)
        {
            writer.WriteVarUInt32((uint)instruction.Opcode);
            switch (instruction.Opcode)
            {
                case Opcode.I32Const or Opcode.I64Const or Opcode.F32Const or Opcode.F64Const:
                    writer.WriteVarUInt64((ulong)instruction.Bits);
                    break;
                case Opcode.RefNull:
                    writer.WriteByte((byte)instruction.RefKind);
                    break;
                case Opcode.RefFunc or Opcode.GlobalGet:
                    writer.WriteVarUInt32(instruction.Index);
                    break;
            }
        }
    }

    private static ConstExpr ReadExpression(ref MetadataReader reader, ModuleDefinition definition)
    {
        var offset = reader.ReadInt(definition.Bytes.Length);
        var count = reader.ReadCount();
        var instructions = new ConstInstruction[count];
        for (var i = 0; i < count; i++)
        {
            var opcode = (Opcode)reader.ReadVarUInt32();
            instructions[i] = opcode switch
            {
                Opcode.I32Const or Opcode.I64Const or Opcode.F32Const or Opcode.F64Const =>
                    new ConstInstruction(opcode, (long)reader.ReadVarUInt64(), 0, default),
                Opcode.RefNull => new ConstInstruction(opcode, 0, 0, ReadKind(ref reader)),
                Opcode.RefFunc => new ConstInstruction(opcode, 0, (uint)reader.ReadInt(definition.TotalFunctionCount - 1L), default),
                // Globals defined before this expression (validated at compile time): imported or earlier.
                Opcode.GlobalGet => new ConstInstruction(opcode, 0, (uint)reader.ReadInt(definition.TotalGlobalCount - 1L), default),
                Opcode.I32Add or Opcode.I32Sub or Opcode.I32Mul or Opcode.I64Add or Opcode.I64Sub or Opcode.I64Mul =>
                    new ConstInstruction(opcode, 0, 0, default),
                _ => throw reader.Fail($"opcode {(ushort)opcode} in a constant expression"),
            };
        }

        return new ConstExpr(instructions, offset);
    }

    private static ConstExpr ReadRefFunc(ref MetadataReader reader, ModuleDefinition definition)
    {
        var index = (uint)reader.ReadInt(definition.TotalFunctionCount - 1L);
        return ConstExpr.RefFunc(index, reader.ReadInt(definition.Bytes.Length));
    }
}
