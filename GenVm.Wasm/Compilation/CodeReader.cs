using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using GenVm.Wasm.Binary;

namespace GenVm.Wasm.Compilation;

/// <summary>
/// Reads the instructions of an already validated function body. No error checks: validation guarantees
/// well-formed LEB128 and in-range immediates, so this reader only advances.
/// </summary>
internal ref struct CodeReader
{
    private readonly ReadOnlySpan<byte> _bytes;
    private int _position;

    public CodeReader(ReadOnlySpan<byte> bytes, int start)
    {
        _bytes = bytes;
        _position = start;
    }

    /// <summary>Offset of the next byte in the module binary.</summary>
    public readonly int Position => _position;

    public byte ReadByte() => _bytes[_position++];

    public byte PeekByte() => _bytes[_position];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Opcode ReadOpcode()
    {
        var b = ReadByte();
        return b == 0xFC ? (Opcode)(0xFC00 | ReadU32()) : (Opcode)b;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public uint ReadU32()
    {
        uint result = 0;
        var shift = 0;
        while (true)
        {
            var b = _bytes[_position++];
            result |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }

            shift += 7;
        }
    }

    public int ReadS32() => (int)ReadSigned();

    public long ReadS64() => ReadSigned();

    public int ReadFixed32()
    {
        var v = BinaryPrimitives.ReadInt32LittleEndian(_bytes[_position..]);
        _position += 4;
        return v;
    }

    public long ReadFixed64()
    {
        var v = BinaryPrimitives.ReadInt64LittleEndian(_bytes[_position..]);
        _position += 8;
        return v;
    }

    /// <summary>Reads a block type: -1 for the empty type, a value type code (0x6F..0x7F) as (kind, -2), or a type index.</summary>
    public void ReadBlockType(out ValueKind? single, out int typeIndex)
    {
        var b = PeekByte();
        single = null;
        typeIndex = -1;
        if (b == 0x40)
        {
            _position++;
            return;
        }

        if (b is 0x7F or 0x7E or 0x7D or 0x7C or 0x7B or 0x70 or 0x6F)
        {
            _position++;
            single = (ValueKind)b;
            return;
        }

        typeIndex = (int)ReadSigned();
    }

    /// <summary>Skips the immediates of <paramref name="op"/> (block types included).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SkipImmediates(Opcode op)
    {
        switch (op)
        {
            case Opcode.Block or Opcode.Loop or Opcode.If:
                ReadBlockType(out _, out _);
                break;
            case Opcode.Br or Opcode.BrIf or Opcode.Call or Opcode.ReturnCall or Opcode.LocalGet or Opcode.LocalSet
                or Opcode.LocalTee or Opcode.GlobalGet or Opcode.GlobalSet or Opcode.TableGet or Opcode.TableSet
                or Opcode.RefFunc or Opcode.MemorySize or Opcode.MemoryGrow or Opcode.DataDrop or Opcode.ElemDrop
                or Opcode.TableGrow or Opcode.TableSize or Opcode.TableFill or Opcode.MemoryFill or Opcode.RefNull:
                ReadU32();
                break;
            case Opcode.BrTable:
                var count = ReadU32();
                for (var i = 0; i <= count; i++)
                {
                    ReadU32();
                }

                break;
            case Opcode.CallIndirect or Opcode.ReturnCallIndirect or Opcode.MemoryInit or Opcode.MemoryCopy
                or Opcode.TableInit or Opcode.TableCopy:
                ReadU32();
                ReadU32();
                break;
            case Opcode.SelectTyped:
                var n = ReadU32();
                for (var i = 0; i < n; i++)
                {
                    ReadByte();
                }

                break;
            case >= Opcode.I32Load and <= Opcode.I64Store32:
                ReadU32();
                ReadU32();
                break;
            case Opcode.I32Const:
                ReadS32();
                break;
            case Opcode.I64Const:
                ReadS64();
                break;
            case Opcode.F32Const:
                _position += 4;
                break;
            case Opcode.F64Const:
                _position += 8;
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long ReadSigned()
    {
        long result = 0;
        var shift = 0;
        byte b;
        do
        {
            b = _bytes[_position++];
            result |= (long)(b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);

        if (shift < 64 && (b & 0x40) != 0)
        {
            result |= -1L << shift;
        }

        return result;
    }
}
