using System.Text;
using static GenVm.Wasm.ValueKind;

namespace GenVm.Wasm.Wasi;

/// <summary>
/// <c>args_get</c>, <c>args_sizes_get</c>, <c>environ_get</c>, <c>environ_sizes_get</c>: NUL-terminated UTF-8
/// strings, pointers first then the bytes.
/// </summary>
public sealed class WasiArgs
{
    private readonly byte[][] _args;
    private readonly byte[][] _environment;

    /// <summary>Encodes the arguments and the environment of <paramref name="configuration"/>.</summary>
    public WasiArgs(WasiConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _args = configuration.Args.Select(Encode).ToArray();
        _environment = configuration.Environment.Select(kv => Encode(kv.Key + "=" + kv.Value)).ToArray();
    }

    /// <summary>Defines the four functions.</summary>
    public void Define(Linker linker)
    {
        WasiBinding.Define(linker, "args_sizes_get", [I32, I32], (caller, a) => Sizes(caller, _args, a[0].I32, a[1].I32));
        WasiBinding.Define(linker, "args_get", [I32, I32], (caller, a) => Get(caller, _args, a[0].I32, a[1].I32));
        WasiBinding.Define(linker, "environ_sizes_get", [I32, I32], (caller, a) => Sizes(caller, _environment, a[0].I32, a[1].I32));
        WasiBinding.Define(linker, "environ_get", [I32, I32], (caller, a) => Get(caller, _environment, a[0].I32, a[1].I32));
    }

    private static byte[] Encode(string s)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }

    private static WasiErrno Sizes(Caller caller, byte[][] items, int countPtr, int sizePtr)
    {
        var memory = new GuestMemory(caller);
        var size = items.Sum(i => (long)i.Length);
        return memory.TryWriteU32(countPtr, (uint)items.Length) && memory.TryWriteU32(sizePtr, (uint)size)
            ? WasiErrno.Success
            : WasiErrno.Fault;
    }

    private static WasiErrno Get(Caller caller, byte[][] items, int pointers, int buffer)
    {
        var memory = new GuestMemory(caller);
        var offset = (uint)buffer;
        for (var i = 0; i < items.Length; i++)
        {
            if (!memory.TryWriteU32(pointers + (i * 4), offset) || !memory.TrySpan((int)offset, items[i].Length, out var target))
            {
                return WasiErrno.Fault;
            }

            items[i].CopyTo(target);
            offset += (uint)items[i].Length;
        }

        return WasiErrno.Success;
    }
}
