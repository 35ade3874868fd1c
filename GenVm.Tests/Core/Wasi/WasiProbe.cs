using System.Text;
using GenVm.Core.Wasi;
using GenVm.Tests.Wasm.Wasi;
using GenVm.Wasm;

namespace GenVm.Tests.Core.Wasi;

/// <summary>
/// A guest for driving <see cref="DetWasiHost"/> from tests: a module that imports the named preview1 functions and
/// exports a wasm wrapper for each (so host calls have a wasm caller and its <c>memory</c>).
/// </summary>
internal sealed class WasiProbe : IDisposable
{
    private readonly Store _store;
    private readonly Instance _instance;

    public WasiProbe(DetWasiOptions options)
    {
        Host = new DetWasiHost(options);
        var engine = new Engine();
        _store = new Store(engine);
        var linker = new Linker(engine);
        Host.Define(linker);
        _instance = linker.Instantiate(_store, Module.FromBytes(engine, WasiProxyModule.Compile()));
    }

    public DetWasiHost Host { get; }

    public Span<byte> Memory => _instance.GetMemory("memory")!.GetSpan(0, 65536);

    /// <summary>Calls <paramref name="name"/>; i64 parameters take <see cref="long"/> arguments. Returns the errno.</summary>
    public int Call(string name, params object[] args)
    {
        var values = args.Select(a => a is long l ? Value.FromI64(l) : Value.FromI32(Convert.ToInt32(a))).ToArray();
        return _instance.GetFunction(name)!.Invoke(values)[0].I32;
    }

    /// <summary>Writes UTF-8 <paramref name="text"/> at <paramref name="address"/>; returns its length.</summary>
    public int Put(int address, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        bytes.CopyTo(Memory[address..]);
        return bytes.Length;
    }

    public uint U32(int address) => BitConverter.ToUInt32(Memory[address..(address + 4)]);

    public ulong U64(int address) => BitConverter.ToUInt64(Memory[address..(address + 8)]);

    public void Dispose() => _store.Dispose();
}
