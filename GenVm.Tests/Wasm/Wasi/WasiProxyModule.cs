using System.Text;

namespace GenVm.Tests.Wasm.Wasi;

/// <summary>
/// A test guest module that imports preview1 functions and re-exports each through a wasm wrapper, so a WASI host
/// under test sees a real calling instance and its exported <c>memory</c>. Shared by the plain WASI host tests and the
/// executor's deterministic WASI tests.
/// </summary>
internal static class WasiProxyModule
{
    /// <summary>Parameter types of the preview1 functions the tests call (all return an errno but <c>proc_exit</c>).</summary>
    private static readonly (string Name, string Parameters)[] Functions =
    [
        ("args_sizes_get", "i32 i32"),
        ("args_get", "i32 i32"),
        ("environ_sizes_get", "i32 i32"),
        ("environ_get", "i32 i32"),
        ("clock_time_get", "i32 i64 i32"),
        ("clock_res_get", "i32 i32"),
        ("random_get", "i32 i32"),
        ("fd_read", "i32 i32 i32 i32"),
        ("fd_pread", "i32 i32 i32 i64 i32"),
        ("fd_write", "i32 i32 i32 i32"),
        ("fd_seek", "i32 i64 i32 i32"),
        ("fd_tell", "i32 i32"),
        ("fd_close", "i32"),
        ("fd_fdstat_get", "i32 i32"),
        ("fd_filestat_get", "i32 i32"),
        ("fd_readdir", "i32 i32 i32 i64 i32"),
        ("fd_prestat_get", "i32 i32"),
        ("fd_prestat_dir_name", "i32 i32 i32"),
        ("fd_renumber", "i32 i32"),
        ("path_open", "i32 i32 i32 i32 i32 i64 i64 i32 i32"),
        ("path_filestat_get", "i32 i32 i32 i32 i32"),
        ("path_unlink_file", "i32 i32 i32"),
        ("poll_oneoff", "i32 i32 i32 i32"),
        ("sched_yield", ""),
        ("sock_recv", "i32 i32 i32 i32 i32 i32"),
        ("sock_send", "i32 i32 i32 i32 i32"),
        ("proc_exit", "i32"),
    ];

    /// <summary>The module's binary (compiled once per call with wat2wasm).</summary>
    public static byte[] Compile()
    {
        var wat = new StringBuilder("(module\n");
        foreach (var (name, parameters) in Functions)
        {
            wat.Append($"  (import \"wasi_snapshot_preview1\" \"{name}\" (func ${name} (param {parameters}){Result(name)}))\n");
        }

        wat.Append("  (memory (export \"memory\") 1)\n");
        foreach (var (name, parameters) in Functions)
        {
            var count = parameters.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            var gets = string.Concat(Enumerable.Range(0, count).Select(i => $" local.get {i}"));
            wat.Append($"  (func (export \"{name}\") (param {parameters}){Result(name)}{gets} call ${name})\n");
        }

        return WatCompiler.Compile(wat.Append(')').ToString());
    }

    private static string Result(string name) => name == "proc_exit" ? string.Empty : " (result i32)";
}
