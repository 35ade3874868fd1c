using System.Buffers.Binary;
using System.Text;
using GenVm.Wasm;
using GenVm.Wasm.Wasi;

namespace GenVm.Tests.Wasm.Wasi;

/// <summary>
/// A tiny guest that imports WASI functions and exports one wrapper per function (so the host sees a real calling
/// instance and its memory), plus helpers to place arguments in its memory and read results back.
/// </summary>
internal sealed class WasiGuest : IDisposable
{
    private readonly Store _store;
    private readonly Instance _instance;

    public WasiGuest(WasiConfiguration configuration)
    {
        Host = new WasiHost(configuration);
        var engine = new Engine();
        _store = new Store(engine);
        var linker = new Linker(engine);
        Host.Define(linker);
        var module = Module.FromBytes(engine, WasiProxyModule.Compile());
        _instance = linker.Instantiate(_store, module);
    }

    public WasiHost Host { get; }

    public Memory Memory => _instance.GetMemory("memory")!;

    /// <summary>Calls the WASI function <paramref name="name"/> through the guest; returns its errno.</summary>
    public WasiErrno Call(string name, params long[] args)
    {
        var func = _instance.GetFunction(name) ?? throw new ArgumentException(name);
        var values = new Value[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            values[i] = func.Type.Parameters[i] == ValueKind.I64 ? Value.FromI64(args[i]) : Value.FromI32(unchecked((int)args[i]));
        }

        var results = func.Invoke(values);
        return results.Length == 0 ? WasiErrno.Success : (WasiErrno)results[0].I32;
    }

    public void Write(int address, ReadOnlySpan<byte> bytes) => bytes.CopyTo(Memory.GetSpan((ulong)address, bytes.Length));

    public void WriteString(int address, string text) => Write(address, Encoding.UTF8.GetBytes(text));

    public void WriteU32(int address, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Memory.GetSpan((ulong)address, 4), value);

    public uint ReadU32(int address) => BinaryPrimitives.ReadUInt32LittleEndian(Memory.GetSpan((ulong)address, 4));

    public ulong ReadU64(int address) => BinaryPrimitives.ReadUInt64LittleEndian(Memory.GetSpan((ulong)address, 8));

    public byte[] Read(int address, int length) => Memory.GetSpan((ulong)address, length).ToArray();

    public string ReadString(int address, int length) => Encoding.UTF8.GetString(Memory.GetSpan((ulong)address, length));

    public void Dispose()
    {
        _store.Dispose();
        Host.Dispose();
    }
}
