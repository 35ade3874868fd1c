using System.Buffers.Binary;

namespace GenVm.Wasm.Wasi;

/// <summary>
/// Bounds-checked access to the caller's linear memory for WASI calls. Every accessor returns false on a bad guest
/// pointer, which the caller turns into <see cref="WasiErrno.Fault"/>: WASI never traps on guest pointers.
/// </summary>
internal readonly ref struct GuestMemory
{
    private readonly Memory? _memory;

    public GuestMemory(Caller caller) => _memory = caller.GetMemory("memory") ?? caller.DefaultMemory;

    public bool TrySpan(int address, int length, out Span<byte> span)
    {
        span = default;
        return _memory is not null && _memory.TryGetSpan((uint)address, (uint)length, out span);
    }

    public bool TryReadU32(int address, out uint value)
    {
        value = 0;
        if (!TrySpan(address, 4, out var s))
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt32LittleEndian(s);
        return true;
    }

    public bool TryWriteU32(int address, uint value)
    {
        if (!TrySpan(address, 4, out var s))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(s, value);
        return true;
    }

    public bool TryWriteU64(int address, ulong value)
    {
        if (!TrySpan(address, 8, out var s))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt64LittleEndian(s, value);
        return true;
    }

    /// <summary>Reads a UTF-8 path argument; false on a bad pointer or invalid UTF-8.</summary>
    public bool TryReadString(int address, int length, out string value, out WasiErrno errno)
    {
        value = string.Empty;
        if (!TrySpan(address, length, out var s))
        {
            errno = WasiErrno.Fault;
            return false;
        }

        try
        {
            value = StrictUtf8.GetString(s);
            errno = WasiErrno.Success;
            return true;
        }
        catch (System.Text.DecoderFallbackException)
        {
            errno = WasiErrno.IllegalSequence;
            return false;
        }
    }

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
