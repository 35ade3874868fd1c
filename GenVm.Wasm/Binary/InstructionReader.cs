using System.Runtime.CompilerServices;

namespace GenVm.Wasm.Binary;

/// <summary>
/// Reads the instructions of one function body (or constant expression) one at a time, without allocating.
/// After <see cref="Read"/> returns, the properties describe that instruction's immediates; which ones are
/// meaningful depends on the opcode (see each property). Offsets are absolute module offsets.
/// Malformed encodings throw <see cref="ModuleDecodeException"/> with the spec test suite's wording
/// ("illegal opcode", "zero byte expected", "malformed memop flags", the LEB128 errors, ...). The reader does
/// not check structure (nesting of <c>end</c>) or types: that is the validator's job.
/// </summary>
/// <example>
/// <code>
/// var reader = new InstructionReader(module.Bytes, body.CodeOffset, body.CodeLength);
/// while (!reader.IsAtEnd)
/// {
///     switch (reader.Read())
///     {
///         case Opcode.I32Const: Emit(reader.I32); break;
///         case Opcode.BrTable:
///             foreach (var label in reader.BrTableTargets) { ... }
///             var defaultLabel = reader.BrTableDefault;
///             break;
///     }
/// }
/// </code>
/// </example>
internal ref struct InstructionReader
{
    private WasmReader reader;
    private int brTableStart;

    /// <summary>Reads <c>bytes[offset .. offset + length)</c> of a module binary.</summary>
    /// <param name="moduleBytes">The whole module binary.</param>
    /// <param name="offset">Absolute offset of the first instruction.</param>
    /// <param name="length">Length of the instruction bytes (including the final <c>end</c>).</param>
    public InstructionReader(ReadOnlySpan<byte> moduleBytes, int offset, int length)
    {
        reader = new WasmReader(moduleBytes.Slice(offset, length), offset);
        brTableStart = 0;
        Opcode = Opcode.Nop;
    }

    /// <summary>Whether every instruction byte has been read.</summary>
    public readonly bool IsAtEnd => reader.IsAtEnd;

    /// <summary>Absolute module offset of the next instruction.</summary>
    public readonly int Offset => reader.Offset;

    /// <summary>Absolute module offset of the instruction last read.</summary>
    public int InstructionOffset { get; private set; }

    /// <summary>The instruction last read.</summary>
    public Opcode Opcode { get; private set; }

    /// <summary><c>block</c>, <c>loop</c>, <c>if</c>: the block type.</summary>
    public BlockType BlockType { get; private set; }

    /// <summary>
    /// The first index immediate: the label (<c>br</c>, <c>br_if</c>), function (<c>call</c>, <c>return_call</c>,
    /// <c>ref.func</c>), type (<c>call_indirect</c>, <c>return_call_indirect</c>), local, global, table
    /// (<c>table.get/set/size/grow/fill</c>, destination of <c>table.copy</c>), data segment (<c>memory.init</c>,
    /// <c>data.drop</c>) or element segment (<c>table.init</c>, <c>elem.drop</c>).
    /// </summary>
    public uint Index { get; private set; }

    /// <summary>
    /// The second index immediate: the table of <c>call_indirect</c>/<c>return_call_indirect</c>/<c>table.init</c>,
    /// the source table of <c>table.copy</c>. Memory indices (<c>memory.*</c>) are always 0 and not exposed.
    /// </summary>
    public uint Index2 { get; private set; }

    /// <summary>Loads and stores: alignment exponent and static offset.</summary>
    public MemArg MemArg { get; private set; }

    /// <summary>Raw immediate of <c>i32.const</c> (sign-extended), <c>i64.const</c>, <c>f32.const</c> (bits), <c>f64.const</c> (bits).</summary>
    public long Bits { get; private set; }

    /// <summary><c>i32.const</c> value.</summary>
    public readonly int I32 => (int)Bits;

    /// <summary><c>i64.const</c> value.</summary>
    public readonly long I64 => Bits;

    /// <summary><c>f32.const</c> raw IEEE bits.</summary>
    public readonly uint F32Bits => (uint)Bits;

    /// <summary><c>f64.const</c> raw IEEE bits.</summary>
    public readonly ulong F64Bits => (ulong)Bits;

    /// <summary>
    /// <c>ref.null</c>: the reference type. Typed <c>select</c>: the first (normally only) listed type; check
    /// <see cref="SelectTypeCount"/> (the validator requires exactly one).
    /// </summary>
    public ValueKind ValueType { get; private set; }

    /// <summary>Typed <c>select</c> (<c>0x1C</c>): how many types were listed.</summary>
    public int SelectTypeCount { get; private set; }

    /// <summary><c>br_table</c>: number of labels before the default.</summary>
    public int BrTableCount { get; private set; }

    /// <summary><c>br_table</c>: the default label.</summary>
    public uint BrTableDefault { get; private set; }

    /// <summary><c>br_table</c>: the labels before the default, re-read from the code bytes without allocating.</summary>
    public readonly BrTableTargets BrTableTargets => new(reader.Bytes.Slice(brTableStart), BrTableCount);

    /// <summary>Reads the next instruction and its immediates.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Opcode Read()
    {
        InstructionOffset = reader.Offset;
        var b = reader.ReadByte();
        Opcode op;
        switch (b)
        {
            case 0x00 or 0x01 or 0x05 or 0x0B or 0x0F or 0x1A or 0x1B or 0xD1:
            case >= 0x45 and <= 0xC4:
                op = (Opcode)b;
                break;
            case 0x02 or 0x03 or 0x04:
                op = (Opcode)b;
                ReadBlockType();
                break;
            case 0x0C or 0x0D or 0x10 or 0x12 or 0x20 or 0x21 or 0x22 or 0x23 or 0x24 or 0x25 or 0x26 or 0xD2:
                op = (Opcode)b;
                Index = reader.ReadVarUInt32();
                break;
            case 0x0E:
                op = Opcode.BrTable;
                ReadBrTable();
                break;
            case 0x11 or 0x13:
                op = (Opcode)b;
                Index = reader.ReadVarUInt32();
                Index2 = reader.ReadVarUInt32();
                break;
            case 0x1C:
                op = Opcode.SelectTyped;
                ReadSelectTypes();
                break;
            case >= 0x28 and <= 0x3E:
                op = (Opcode)b;
                ReadMemArg();
                break;
            case 0x3F or 0x40:
                op = (Opcode)b;
                ReadZeroByte();
                break;
            case 0x41:
                op = Opcode.I32Const;
                Bits = reader.ReadVarInt32();
                break;
            case 0x42:
                op = Opcode.I64Const;
                Bits = reader.ReadVarInt64();
                break;
            case 0x43:
                op = Opcode.F32Const;
                Bits = reader.ReadUInt32LittleEndian();
                break;
            case 0x44:
                op = Opcode.F64Const;
                Bits = (long)reader.ReadUInt64LittleEndian();
                break;
            case 0xD0:
                op = Opcode.RefNull;
                ValueType = reader.ReadReferenceType();
                break;
            case 0xFC:
                op = ReadPrefixed();
                break;
            case 0xFD:
                // wasm-abi.md §1.1: SIMD is disabled; we do not decode its immediates at all.
                WasmReader.Fail("unsupported feature: SIMD", InstructionOffset);
                return default;
            default:
                WasmReader.Fail("illegal opcode", InstructionOffset);
                return default;
        }

        Opcode = op;
        return op;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Opcode ReadPrefixed()
    {
        var sub = reader.ReadVarUInt32();
        switch (sub)
        {
            case <= 7:
                break;
            case 8:
                Index = reader.ReadVarUInt32();
                ReadZeroByte();
                break;
            case 9 or 13:
                Index = reader.ReadVarUInt32();
                break;
            case 10:
                ReadZeroByte();
                ReadZeroByte();
                break;
            case 11:
                ReadZeroByte();
                break;
            case 12:
                Index = reader.ReadVarUInt32();
                Index2 = reader.ReadVarUInt32();
                break;
            case 14:
                Index = reader.ReadVarUInt32();
                Index2 = reader.ReadVarUInt32();
                break;
            case 15 or 16 or 17:
                Index = reader.ReadVarUInt32();
                break;
            default:
                WasmReader.Fail("illegal opcode", InstructionOffset);
                break;
        }

        return (Opcode)(0xFC00 | sub);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ReadBlockType()
    {
        var b = reader.PeekByte();
        if (b == 0x40)
        {
            reader.ReadByte();
            BlockType = BlockType.Empty;
            return;
        }

        if (WasmReader.IsValueType(b))
        {
            reader.ReadByte();
            BlockType = new BlockType(BlockTypeKind.Value, (ValueKind)b, 0);
            return;
        }

        var at = reader.Offset;
        var index = reader.ReadVarInt33();
        if (index < 0)
        {
            // A negative s33 that is not one of the single-byte type codes.
            WasmReader.Fail("malformed block type", at);
        }

        BlockType = new BlockType(BlockTypeKind.TypeIndex, default, (uint)index);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadBrTable()
    {
        var count = reader.ReadCount();
        brTableStart = reader.Position;
        for (var i = 0; i < count; i++)
        {
            reader.ReadVarUInt32();
        }

        BrTableCount = count;
        BrTableDefault = reader.ReadVarUInt32();
    }

    private void ReadSelectTypes()
    {
        var count = reader.ReadCount();
        SelectTypeCount = count;
        ValueType = default;
        for (var i = 0; i < count; i++)
        {
            var t = reader.ReadValueType();
            if (i == 0)
            {
                ValueType = t;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadMemArg()
    {
        var at = reader.Offset;
        var align = reader.ReadVarUInt32();
        if (align >= 32)
        {
            // Bit 6 would announce a memory index (multi-memory), which we do not support; larger values are
            // meaningless. The spec test suite (align.wast) calls both "malformed memop flags".
            WasmReader.Fail("malformed memop flags", at);
        }

        var offset = reader.ReadVarUInt32();
        MemArg = new MemArg(align, offset, 0);
    }

    private void ReadZeroByte()
    {
        var at = reader.Offset;
        if (reader.ReadByte() != 0)
        {
            WasmReader.Fail("zero byte expected", at);
        }
    }
}
