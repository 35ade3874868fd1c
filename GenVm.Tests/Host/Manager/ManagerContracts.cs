using GenVm.Tests.Core.Host;
using GenVm.Tests.Core.Supervisor;
using GenVm.Tests.Wasm;

namespace GenVm.Tests.Host.Manager;

/// <summary>WAT contracts and <c>/genvm/run</c> bodies for the manager tests, deployed in a <see cref="TestNode"/>.</summary>
internal static class ManagerContracts
{
    /// <summary>Returns null at once.</summary>
    public const string Trivial = """
        (module
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (func (export "_start")))
        """;

    /// <summary>Writes "." to stdout, then loops until cancelled.</summary>
    public const string Endless = """
        (module
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 0) "\08\00\00\00\01\00\00\00.")
          (func (export "_start")
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 32)))
            (loop $l (br $l))))
        """;

    public const string HostData = """{"node_address":"0x0000000000000000000000000000000000000001","tx_id":"0x02"}""";

    public static TestNode Deploy(string wat) => ContractRun.Deploy(WatCompiler.Compile(wat));

    /// <summary>A <c>/genvm/run</c> body for the message of <see cref="ContractRun"/>.</summary>
    public static string RunBody(string host, bool isSync = false, bool capture = true, string extraArgs = """["--print=result"]""", uint major = 0, string timestamp = "2025-01-01T00:00:00Z", string? maxMinutes = null, string? message = null)
    {
        var hostData = System.Text.Json.JsonSerializer.Serialize(HostData);
        var minutes = maxMinutes is null ? "" : $",\"max_execution_minutes\":{maxMinutes}";
        return $$"""{"major":{{major}},"message":{{message ?? ContractRun.MessageJson}},"is_sync":{{(isSync ? "true" : "false")}},"capture_output":{{(capture ? "true" : "false")}},"host_data":{{hostData}},"timestamp":"{{timestamp}}","host":"{{host}}","extra_args":{{extraArgs}}{{minutes}}}""";
    }
}
