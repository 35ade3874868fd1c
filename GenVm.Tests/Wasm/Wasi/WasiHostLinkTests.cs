using System.Text;
using GenVm.Wasm;
using GenVm.Wasm.Wasi;

namespace GenVm.Tests.Wasm.Wasi;

[TestFixture]
public sealed class WasiHostLinkTests
{
    /// <summary>The 46 preview1 functions with their witx signatures lowered to core wasm (all return errno but proc_exit).</summary>
    private static readonly (string Name, string Params)[] Preview1 =
    [
        ("args_get", "i32 i32"), ("args_sizes_get", "i32 i32"), ("environ_get", "i32 i32"), ("environ_sizes_get", "i32 i32"),
        ("clock_res_get", "i32 i32"), ("clock_time_get", "i32 i64 i32"),
        ("fd_advise", "i32 i64 i64 i32"), ("fd_allocate", "i32 i64 i64"), ("fd_close", "i32"), ("fd_datasync", "i32"),
        ("fd_fdstat_get", "i32 i32"), ("fd_fdstat_set_flags", "i32 i32"), ("fd_fdstat_set_rights", "i32 i64 i64"),
        ("fd_filestat_get", "i32 i32"), ("fd_filestat_set_size", "i32 i64"), ("fd_filestat_set_times", "i32 i64 i64 i32"),
        ("fd_pread", "i32 i32 i32 i64 i32"), ("fd_prestat_get", "i32 i32"), ("fd_prestat_dir_name", "i32 i32 i32"),
        ("fd_pwrite", "i32 i32 i32 i64 i32"), ("fd_read", "i32 i32 i32 i32"), ("fd_readdir", "i32 i32 i32 i64 i32"),
        ("fd_renumber", "i32 i32"), ("fd_seek", "i32 i64 i32 i32"), ("fd_sync", "i32"), ("fd_tell", "i32 i32"),
        ("fd_write", "i32 i32 i32 i32"), ("path_create_directory", "i32 i32 i32"), ("path_filestat_get", "i32 i32 i32 i32 i32"),
        ("path_filestat_set_times", "i32 i32 i32 i32 i64 i64 i32"), ("path_link", "i32 i32 i32 i32 i32 i32 i32"),
        ("path_open", "i32 i32 i32 i32 i32 i64 i64 i32 i32"), ("path_readlink", "i32 i32 i32 i32 i32 i32"),
        ("path_remove_directory", "i32 i32 i32"), ("path_rename", "i32 i32 i32 i32 i32 i32"), ("path_symlink", "i32 i32 i32 i32 i32"),
        ("path_unlink_file", "i32 i32 i32"), ("poll_oneoff", "i32 i32 i32 i32"), ("proc_exit", "i32"), ("proc_raise", "i32"),
        ("sched_yield", ""), ("random_get", "i32 i32"), ("sock_accept", "i32 i32 i32"), ("sock_recv", "i32 i32 i32 i32 i32 i32"),
        ("sock_send", "i32 i32 i32 i32 i32"), ("sock_shutdown", "i32 i32"),
    ];

    [Test]
    public void Define_AllPreview1Functions_LinkWithStandardSignatures()
    {
        Assert.That(Preview1, Has.Length.EqualTo(46));
        var wat = new StringBuilder("(module\n");
        foreach (var (name, parameters) in Preview1)
        {
            var result = name == "proc_exit" ? string.Empty : " (result i32)";
            wat.Append($"  (import \"wasi_snapshot_preview1\" \"{name}\" (func (param {parameters}){result}))\n");
        }

        var engine = new Engine();
        using var store = new Store(engine);
        var linker = new Linker(engine);
        using var host = new WasiHost(new WasiConfiguration());
        host.Define(linker);
        var module = Module.FromBytes(engine, WatCompiler.Compile(wat.Append(')').ToString()));
        Assert.That(module.Imports, Has.Count.EqualTo(46));
        Assert.DoesNotThrow(() => linker.Instantiate(store, module));
    }
}
