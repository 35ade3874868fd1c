using System.Text;
using GenVm.Core.Wasi;
using GenVm.Tests.Wasm;
using GenVm.Wasm;

namespace GenVm.Tests.Core.Wasi;

/// <summary>
/// A guest for driving <see cref="DetWasiHost"/> from tests: a module that imports the named preview1 functions and
/// exports a wasm wrapper for each (so host calls have a wasm caller and its <c>memory</c>).
/// </summary>
internal sealed class WasiProbe : IDisposable
{
    private static readonly Dictionary<string, string> Signatures = new()
    {
        ["args_sizes_get"] = "i32 i32",
        ["args_get"] = "i32 i32",
        ["environ_sizes_get"] = "i32 i32",
        ["environ_get"] = "i32 i32",
        ["clock_time_get"] = "i32 i64 i32",
        ["clock_res_get"] = "i32 i32",
        ["random_get"] = "i32 i32",
        ["fd_read"] = "i32 i32 i32 i32",
        ["fd_pread"] = "i32 i32 i32 i64 i32",
        ["fd_write"] = "i32 i32 i32 i32",
        ["fd_seek"] = "i32 i64 i32 i32",
        ["fd_tell"] = "i32 i32",
        ["fd_close"] = "i32",
        ["fd_fdstat_get"] = "i32 i32",
        ["fd_filestat_get"] = "i32 i32",
        ["fd_readdir"] = "i32 i32 i32 i64 i32",
        ["fd_prestat_get"] = "i32 i32",
        ["fd_prestat_dir_name"] = "i32 i32 i32",
        ["path_open"] = "i32 i32 i32 i32 i32 i64 i64 i32 i32",
        ["path_filestat_get"] = "i32 i32 i32 i32 i32",
        ["fd_renumber"] = "i32 i32",
        ["sched_yield"] = "",
        ["path_unlink_file"] = "i32 i32 i32",
        ["sock_recv"] = "i32 i32 i32 i32 i32 i32",
    };

    private readonly Store _store;
    private readonly Instance _instance;

    public WasiProbe(DetWasiOptions options)
    {
        Host = new DetWasiHost(options);
        var engine = new Engine();
        _store = new Store(engine);
        var linker = new Linker(engine);
        Host.Define(linker);
        var wat = new StringBuilder("(module\n");
        foreach (var (name, parameters) in Signatures)
        {
            wat.Append($"(import \"wasi_snapshot_preview1\" \"{name}\" (func ${name} (param {parameters}) (result i32)))\n");
        }

        wat.Append("(memory (export \"memory\") 1)\n");
        foreach (var (name, parameters) in Signatures)
        {
            var count = parameters.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            var gets = string.Concat(Enumerable.Range(0, count).Select(i => $"(local.get {i})"));
            wat.Append($"(func (export \"{name}\") (param {parameters}) (result i32) (call ${name} {gets}))\n");
        }

        wat.Append(')');
        _instance = linker.Instantiate(_store, Module.FromBytes(engine, WatCompiler.Compile(wat.ToString())));
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
