using System.Buffers.Binary;
using GenVm.Wasm;

namespace GenVm.Core.Wasi;

/// <summary>
/// Checked access to the calling instance's exported <c>memory</c> (wasm-abi.md §1.3). Every bad pointer throws
/// <see cref="GuestFaultException"/> (wasm-abi.md §2: bad guest pointers abort the VM). Typed accessors also check
/// the natural alignment, as the reference's typed guest pointers do.
/// </summary>
internal readonly ref struct GuestMemory
{
    private readonly Memory _memory;

    /// <summary>Binds to the caller's <c>memory</c> export.</summary>
    /// <exception cref="InvalidOperationException">The instance exports no <c>memory</c> (an internal error, §1.3).</exception>
    public GuestMemory(Caller caller) =>
        _memory = caller.GetMemory("memory") ?? throw new InvalidOperationException("the module calling a host function does not export `memory`");

    /// <summary>The bytes at [<paramref name="address"/>, +<paramref name="length"/>).</summary>
    public Span<byte> Slice(int address, int length)
    {
        if (!_memory.TryGetSpan((uint)address, (uint)length, out var span))
        {
            throw new GuestFaultException($"guest pointer out of bounds: {(uint)address}+{(uint)length}");
        }

        return span;
    }

    /// <summary>Reads a u32 at a 4-aligned address.</summary>
    public uint ReadU32(int address) => BinaryPrimitives.ReadUInt32LittleEndian(Aligned(address, 4));

    /// <summary>Writes a u32 at a 4-aligned address.</summary>
    public void WriteU32(int address, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Aligned(address, 4), value);

    /// <summary>Writes a u64 at an 8-aligned address.</summary>
    public void WriteU64(int address, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Aligned(address, 8), value);

    /// <summary>A struct of <paramref name="size"/> bytes at an address aligned to <paramref name="alignment"/>, zeroed.</summary>
    public Span<byte> Struct(int address, int size, int alignment)
    {
        var span = Aligned(address, alignment, size);
        span.Clear();
        return span;
    }

    private Span<byte> Aligned(int address, int alignment, int? size = null)
    {
        if ((uint)address % (uint)alignment != 0)
        {
            throw new GuestFaultException($"misaligned guest pointer {(uint)address} (alignment {alignment})");
        }

        return Slice(address, size ?? alignment);
    }
}
