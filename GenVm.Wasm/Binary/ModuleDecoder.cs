using System.Runtime.CompilerServices;

namespace GenVm.Wasm.Binary;

/// <summary>
/// Decodes a module binary into a <see cref="ModuleDefinition"/> (Binary format §5.5). Checks everything that makes a
/// binary malformed (the spec test suite's <c>assert_malformed</c> class), including the instruction syntax of
/// every function body (opcodes, immediates, block nesting); typing is the validator's job. Every failure is a
/// <see cref="ModuleDecodeException"/> with the module offset; declared counts are checked against the bytes left
/// before anything is allocated.
/// </summary>
internal static class ModuleDecoder
{
    /// <summary>Most declared locals (parameters excluded) one function may have (wasmparser's limit).</summary>
    public const int MaxLocals = 50_000;

    private const uint Magic = 0x6D736100; // "\0asm"

    private const uint Version = 1;

    [ThreadStatic]
    private static List<bool>? scanStack;

    private static int s_decodes;

    /// <summary>How many binaries this process decoded (tests: a compile cache hit decodes nothing).</summary>
    public static int DecodeCount => Volatile.Read(ref s_decodes);

    /// <summary>Decodes every section. Throws <see cref="ModuleDecodeException"/> for malformed input.</summary>
    public static ModuleDefinition Decode(ReadOnlySpan<byte> wasm, WasmFeatures features)
    {
        _ = features; // Feature gating is the validator's job: the binary encodings do not depend on it.
        Interlocked.Increment(ref s_decodes);
        var module = new ModuleDefinition { Bytes = wasm.ToArray() };
        var bytes = module.Bytes.AsSpan();
        var reader = new WasmReader(bytes, 0, WasmReader.UnexpectedEnd);

        if (reader.Remaining < 4)
        {
            WasmReader.Fail(WasmReader.UnexpectedEnd, bytes.Length);
        }

        if (reader.ReadUInt32LittleEndian() != Magic)
        {
            WasmReader.Fail("magic header not detected", 0);
        }

        if (reader.Remaining < 4)
        {
            WasmReader.Fail(WasmReader.UnexpectedEnd, bytes.Length);
        }

        if (reader.ReadUInt32LittleEndian() != Version)
        {
            WasmReader.Fail("unknown binary version", 4);
        }

        var lastRank = 0;
        while (!reader.IsAtEnd)
        {
            var sectionStart = reader.Offset;
            var id = reader.ReadByte();
            if (id > 12)
            {
                WasmReader.Fail("malformed section id", sectionStart);
            }

            var size = reader.ReadLength();
            var payloadOffset = reader.Offset;

            // Like the spec interpreter, a section's content is read from the rest of the binary and its size is
            // checked afterwards, so a content error past the declared end wins over "section size mismatch".
            var payload = new WasmReader(bytes.Slice(payloadOffset), payloadOffset);
            reader.Skip(size);

            if (id == 0)
            {
                ReadCustomSection(module, ref payload, size);
                continue;
            }

            // Binary format §5.5.2: non-custom sections appear at most once, in this order (data count sits
            // between element and code).
            var rank = Rank(id);
            if (rank <= lastRank)
            {
                WasmReader.Fail("unexpected content after last section", sectionStart);
            }

            lastRank = rank;
            switch (id)
            {
                case 1:
                    ReadTypeSection(module, ref payload);
                    break;
                case 2:
                    ReadImportSection(module, ref payload);
                    break;
                case 3:
                    ReadFunctionSection(module, ref payload);
                    break;
                case 4:
                    ReadTableSection(module, ref payload);
                    break;
                case 5:
                    ReadMemorySection(module, ref payload);
                    break;
                case 6:
                    ReadGlobalSection(module, ref payload, bytes);
                    break;
                case 7:
                    ReadExportSection(module, ref payload);
                    break;
                case 8:
                    module.StartFunction = payload.ReadVarUInt32();
                    break;
                case 9:
                    ReadElementSection(module, ref payload, bytes);
                    break;
                case 10:
                    ReadCodeSection(module, ref payload);
                    module.CodeSectionEnd = payloadOffset + size;
                    break;
                case 11:
                    ReadDataSection(module, ref payload, bytes);
                    break;
                case 12:
                    module.DataCount = payload.ReadVarUInt32();
                    break;
            }

            if (payload.Position != size)
            {
                WasmReader.Fail("section size mismatch", payloadOffset + Math.Min(payload.Position, size));
            }
        }

        if (module.FunctionTypeIndices.Count != module.Bodies.Count)
        {
            WasmReader.Fail("function and code section have inconsistent lengths", bytes.Length);
        }

        if (module.DataCount is uint dataCount && dataCount != module.Datas.Count)
        {
            WasmReader.Fail("data count and data section have inconsistent lengths", bytes.Length);
        }

        return module;
    }

    private static int Rank(byte id) => id switch
    {
        12 => 10, // data count: after element (9), before code
        10 => 11,
        11 => 12,
        _ => id,
    };

    private static void ReadCustomSection(ModuleDefinition module, ref WasmReader payload, int size)
    {
        var name = payload.ReadName();
        var contentOffset = payload.Offset;
        var contentLength = size - payload.Position;
        if (contentLength < 0)
        {
            WasmReader.Fail(WasmReader.UnexpectedEndOfSection, payload.Offset - payload.Position + size);
        }

        var content = payload.ReadBytes(contentLength);
        module.CustomSections.Add(new CustomSection(name, contentOffset, contentLength));
        if (name == "name")
        {
            // Custom sections never make a module malformed (Binary format §5.5.3 / Appendix "Name Section"):
            // a broken name section is dropped as a whole.
            try
            {
                module.Names = ReadNameSection(content, contentOffset);
            }
            catch (ModuleDecodeException)
            {
                module.Names = new NameSection();
            }
        }
    }

    private static NameSection ReadNameSection(ReadOnlySpan<byte> content, int offset)
    {
        var names = new NameSection();
        var reader = new WasmReader(content, offset);
        var lastId = -1;
        while (!reader.IsAtEnd)
        {
            var id = reader.ReadByte();
            if (id <= lastId)
            {
                WasmReader.Fail("out-of-order name subsection", reader.Offset - 1);
            }

            lastId = id;
            var size = reader.ReadLength();
            var subOffset = reader.Offset;
            var sub = new WasmReader(reader.ReadBytes(size), subOffset);
            switch (id)
            {
                case 0:
                    names.ModuleName = sub.ReadName();
                    break;
                case 1:
                    var count = sub.ReadCount();
                    var previous = -1L;
                    for (var i = 0; i < count; i++)
                    {
                        var index = sub.ReadVarUInt32();
                        if (index <= previous)
                        {
                            WasmReader.Fail("function names out of order", sub.Offset);
                        }

                        previous = index;
                        names.FunctionNames[index] = sub.ReadName();
                    }

                    break;
                default:
                    // Local names and the extended-name-section subsections: not needed.
                    sub.Skip(sub.Remaining);
                    break;
            }

            if (!sub.IsAtEnd)
            {
                WasmReader.Fail("section size mismatch", sub.Offset);
            }
        }

        return names;
    }

    private static void ReadTypeSection(ModuleDefinition module, ref WasmReader r)
    {
        var count = r.ReadCount();
        module.Types.Capacity = count;
        for (var i = 0; i < count; i++)
        {
            var at = r.Offset;
            if (r.ReadByte() != 0x60)
            {
                WasmReader.Fail("integer representation too long", at);
            }

            var parameters = ReadValueTypes(ref r);
            var results = ReadValueTypes(ref r);
            module.Types.Add(new FuncType(parameters, results));
        }
    }

    private static ValueKind[] ReadValueTypes(ref WasmReader r)
    {
        var count = r.ReadCount();
        if (count == 0)
        {
            return [];
        }

        var types = new ValueKind[count];
        for (var i = 0; i < count; i++)
        {
            types[i] = r.ReadValueType();
        }

        return types;
    }

    private static void ReadImportSection(ModuleDefinition module, ref WasmReader r)
    {
        var count = r.ReadCount();
        for (var i = 0; i < count; i++)
        {
            var moduleName = r.ReadName();
            var name = r.ReadName();
            var kindAt = r.Offset;
            var kind = r.ReadByte();
            switch (kind)
            {
                case 0:
                    var typeIndex = r.ReadVarUInt32();
                    // An out-of-range index is a validation error ("unknown type"); keep a placeholder until then.
                    var type = typeIndex < module.Types.Count ? module.Types[(int)typeIndex] : ModuleDefinition.UnknownFuncType;
                    module.Imports.Add(new ImportDefinition(moduleName, name, ExternKind.Func, typeIndex, type));
                    module.ImportedFunctionCount++;
                    break;
                case 1:
                    module.Imports.Add(new ImportDefinition(moduleName, name, ExternKind.Table, 0, ReadTableType(ref r)));
                    module.ImportedTableCount++;
                    break;
                case 2:
                    module.Imports.Add(new ImportDefinition(moduleName, name, ExternKind.Memory, 0, new MemoryType(ReadLimits(ref r))));
                    module.ImportedMemoryCount++;
                    break;
                case 3:
                    module.Imports.Add(new ImportDefinition(moduleName, name, ExternKind.Global, 0, ReadGlobalType(ref r)));
                    module.ImportedGlobalCount++;
                    break;
                default:
                    WasmReader.Fail("malformed import kind", kindAt);
                    break;
            }
        }
    }

    private static void ReadFunctionSection(ModuleDefinition module, ref WasmReader r)
    {
        var count = r.ReadCount();
        module.FunctionTypeIndices.Capacity = count;
        for (var i = 0; i < count; i++)
        {
            module.FunctionTypeIndices.Add(r.ReadVarUInt32());
        }
    }

    private static void ReadTableSection(ModuleDefinition module, ref WasmReader r)
    {
        var count = r.ReadCount();
        for (var i = 0; i < count; i++)
        {
            module.Tables.Add(ReadTableType(ref r));
        }
    }

    private static void ReadMemorySection(ModuleDefinition module, ref WasmReader r)
    {
        var count = r.ReadCount();
        for (var i = 0; i < count; i++)
        {
            module.Memories.Add(new MemoryType(ReadLimits(ref r)));
        }
    }

    private static TableType ReadTableType(ref WasmReader r)
    {
        var kind = r.ReadReferenceType();
        return new TableType(kind, ReadLimits(ref r));
    }

    private static Limits ReadLimits(ref WasmReader r)
    {
        // The flag is a 1-bit LEB128 in the spec interpreter: 0x02.. are "too large", a continuation bit is "too long".
        var at = r.Offset;
        var flags = r.ReadByte();
        if ((flags & 0x7F) > 1)
        {
            WasmReader.Fail("integer too large", at);
        }

        if ((flags & 0x80) != 0)
        {
            WasmReader.Fail("integer representation too long", at + 1);
        }

        var min = r.ReadVarUInt32();
        uint? max = flags == 1 ? r.ReadVarUInt32() : null;
        return new Limits(min, max);
    }

    private static GlobalType ReadGlobalType(ref WasmReader r)
    {
        var kind = r.ReadValueType();
        var at = r.Offset;
        var mutability = r.ReadByte();
        if (mutability > 1)
        {
            WasmReader.Fail("malformed mutability", at);
        }

        return new GlobalType(kind, mutability == 1);
    }

    private static void ReadGlobalSection(ModuleDefinition module, ref WasmReader r, ReadOnlySpan<byte> bytes)
    {
        var count = r.ReadCount();
        for (var i = 0; i < count; i++)
        {
            var type = ReadGlobalType(ref r);
            module.Globals.Add(new GlobalDefinition(type, ReadConstExpr(ref r, bytes)));
        }
    }

    /// <summary>
    /// Reads instructions up to the matching <c>end</c>. Like the spec interpreter, the expression may run past the
    /// section (then it is a size mismatch), so a missing <c>end</c> reports the opcode found instead.
    /// </summary>
    private static ConstExpr ReadConstExpr(ref WasmReader r, ReadOnlySpan<byte> bytes)
    {
        var start = r.Offset;
        var instructions = new InstructionReader(bytes, start, bytes.Length - start);
        var list = new List<ConstInstruction>(2);
        while (true)
        {
            if (instructions.IsAtEnd)
            {
                WasmReader.Fail(WasmReader.UnexpectedEnd, bytes.Length);
            }

            var op = instructions.Read();
            if (op == Opcode.End)
            {
                break;
            }

            list.Add(op switch
            {
                Opcode.I32Const or Opcode.I64Const or Opcode.F32Const or Opcode.F64Const =>
                    new ConstInstruction(op, instructions.Bits, 0, default),
                Opcode.RefNull => new ConstInstruction(op, 0, 0, instructions.ValueType),
                _ => new ConstInstruction(op, 0, instructions.Index, default),
            });
        }

        var consumed = instructions.Offset - start;
        if (consumed > r.Remaining)
        {
            WasmReader.Fail("section size mismatch", start + r.Remaining);
        }

        r.Skip(consumed);
        return new ConstExpr(list, start);
    }

    private static void ReadExportSection(ModuleDefinition module, ref WasmReader r)
    {
        var count = r.ReadCount();
        for (var i = 0; i < count; i++)
        {
            var name = r.ReadName();
            var at = r.Offset;
            var kind = r.ReadByte();
            if (kind > 3)
            {
                WasmReader.Fail("malformed export kind", at);
            }

            module.Exports.Add(new ExportDescriptor(name, (ExternKind)kind, r.ReadVarUInt32()));
        }
    }

    private static void ReadElementSection(ModuleDefinition module, ref WasmReader r, ReadOnlySpan<byte> bytes)
    {
        var count = r.ReadCount();
        for (var i = 0; i < count; i++)
        {
            var at = r.Offset;
            var flags = r.ReadVarUInt32();
            if (flags > 7)
            {
                WasmReader.Fail("malformed elements segment kind", at);
            }

            // Binary format §5.5.12: bit 0 = passive/declarative, bit 1 = explicit table index (active) or
            // declarative (otherwise), bit 2 = items are expressions rather than function indices.
            var mode = (flags & 1) == 0 ? SegmentMode.Active : (flags & 2) == 0 ? SegmentMode.Passive : SegmentMode.Declarative;
            var tableIndex = 0u;
            ConstExpr? offset = null;
            if (mode == SegmentMode.Active)
            {
                if ((flags & 2) != 0)
                {
                    tableIndex = r.ReadVarUInt32();
                }

                offset = ReadConstExpr(ref r, bytes);
            }

            var kind = ValueKind.FuncRef;
            var usesExpressions = (flags & 4) != 0;
            if ((flags & 3) != 0)
            {
                if (usesExpressions)
                {
                    kind = r.ReadReferenceType();
                }
                else
                {
                    var kindAt = r.Offset;
                    if (r.ReadByte() != 0x00)
                    {
                        WasmReader.Fail("malformed element kind", kindAt);
                    }
                }
            }

            var itemCount = r.ReadCount();
            var items = new ConstExpr[itemCount];
            for (var j = 0; j < itemCount; j++)
            {
                if (usesExpressions)
                {
                    items[j] = ReadConstExpr(ref r, bytes);
                }
                else
                {
                    var itemAt = r.Offset;
                    items[j] = ConstExpr.RefFunc(r.ReadVarUInt32(), itemAt);
                }
            }

            module.Elements.Add(new ElementSegment(mode, tableIndex, offset, kind, items) { Flags = flags });
        }
    }

    private static void ReadCodeSection(ModuleDefinition module, ref WasmReader r)
    {
        var count = r.ReadCount();
        module.Bodies.Capacity = count;
        var bytes = module.Bytes.AsSpan();
        for (var i = 0; i < count; i++)
        {
            var bodyOffset = r.Offset;
            var size = r.ReadLength();
            var bodyStart = r.Offset;
            var bodyBytes = r.ReadBytes(size);
            var body = new WasmReader(bodyBytes, bodyStart);

            // Locals: count the total first (without allocating), then expand.
            var groupCount = body.ReadCount();
            var groupsStart = body.Position;
            long total = 0;
            for (var g = 0; g < groupCount; g++)
            {
                total += body.ReadVarUInt32();
                body.ReadValueType();
                if (total > MaxLocals)
                {
                    WasmReader.Fail("too many locals", bodyOffset);
                }
            }

            var locals = total == 0 ? Array.Empty<ValueKind>() : new ValueKind[total];
            var rewind = new WasmReader(bodyBytes, bodyStart);
            rewind.Skip(groupsStart);
            var k = 0;
            for (var g = 0; g < groupCount; g++)
            {
                var n = (int)rewind.ReadVarUInt32();
                var kind = rewind.ReadValueType();
                locals.AsSpan(k, n).Fill(kind);
                k += n;
            }

            var codeOffset = body.Offset;
            var codeEnd = ScanInstructions(module, bytes, codeOffset);
            if (codeEnd != bodyStart + size)
            {
                // The final `end` is not the body's last byte (the spec interpreter reports the enclosing size).
                WasmReader.Fail("section size mismatch", Math.Min(codeEnd, bodyStart + size));
            }

            module.Bodies.Add(new FunctionBody((uint)(module.ImportedFunctionCount + i), locals, bodyOffset, codeOffset, body.Remaining));
        }
    }

    /// <summary>
    /// Decodes the instructions of one body (syntax only: opcodes, immediates, block nesting) and returns the offset
    /// just past its final <c>end</c>. Like the spec interpreter it reads on past the declared body size, so a
    /// missing <c>end</c> is reported by what follows ("END opcode expected", "unexpected end of section or
    /// function"). Typing is left to the validator.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ScanInstructions(ModuleDefinition module, ReadOnlySpan<byte> bytes, int codeOffset)
    {
        var reader = new InstructionReader(bytes, codeOffset, bytes.Length - codeOffset);

        // One bit per open block: whether it is an `if` that may still take an `else`.
        var open = scanStack ??= new List<bool>(64);
        open.Clear();
        while (true)
        {
            if (reader.IsAtEnd)
            {
                WasmReader.Fail(WasmReader.UnexpectedEndOfSection, bytes.Length);
            }

            switch (reader.Read())
            {
                case Opcode.Block:
                case Opcode.Loop:
                    open.Add(false);
                    break;
                case Opcode.If:
                    open.Add(true);
                    break;
                case Opcode.Else:
                    if (open.Count == 0 || !open[^1])
                    {
                        WasmReader.Fail("END opcode expected", reader.InstructionOffset);
                    }

                    open[^1] = false;
                    break;
                case Opcode.End:
                    if (open.Count == 0)
                    {
                        return reader.Offset;
                    }

                    open.RemoveAt(open.Count - 1);
                    break;
                case Opcode.MemoryInit:
                case Opcode.DataDrop:
                    // Binary format §5.5.13: these need the data count section (single-pass decoding).
                    if (module.DataCount is null)
                    {
                        WasmReader.Fail("data count section required", reader.InstructionOffset);
                    }

                    break;
            }
        }
    }

    private static void ReadDataSection(ModuleDefinition module, ref WasmReader r, ReadOnlySpan<byte> bytes)
    {
        var count = r.ReadCount();

        for (var i = 0; i < count; i++)
        {
            var at = r.Offset;
            var flags = r.ReadVarUInt32();
            SegmentMode mode;
            var memoryIndex = 0u;
            ConstExpr? offset = null;
            switch (flags)
            {
                case 0:
                    mode = SegmentMode.Active;
                    offset = ReadConstExpr(ref r, bytes);
                    break;
                case 1:
                    mode = SegmentMode.Passive;
                    break;
                case 2:
                    mode = SegmentMode.Active;
                    memoryIndex = r.ReadVarUInt32();
                    offset = ReadConstExpr(ref r, bytes);
                    break;
                default:
                    WasmReader.Fail("malformed data segment kind", at);
                    return;
            }

            // A data length past the end is an unexpected end (spec test binary.wast), not "length out of bounds".
            var length = (int)Math.Min(r.ReadVarUInt32(), int.MaxValue);
            var dataOffset = r.Offset;
            r.Skip(length);
            module.Datas.Add(new DataSegment(mode, memoryIndex, offset, dataOffset, length));
        }
    }
}
