using GenVm.Core.Messages;
using GenVm.Core.Pool;
using GenVm.Tests.Core.Host;
using GenVm.Tests.Core.Supervisor;
using GenVm.Tests.Wasm;

namespace GenVm.Tests.Core.Pool;

/// <summary>One execution of an <see cref="ExecutionPool"/> against a <see cref="TestNode"/> behind a real Unix socket.</summary>
internal static class PoolRun
{
    /// <summary>Deploys <paramref name="wat"/> in a fresh node and runs it once.</summary>
    public static async Task<(ExecutionResult Result, TestNode Node)> RunWatAsync(ExecutionPool pool, string wat, Stream? stdout = null)
    {
        var node = ContractRun.Deploy(WatCompiler.Compile(wat));
        return (await RunAsync(pool, node, stdout), node);
    }

    /// <summary>Runs the contract deployed in <paramref name="node"/> as one execution of <paramref name="pool"/>.</summary>
    public static async Task<ExecutionResult> RunAsync(ExecutionPool pool, TestNode node, Stream? stdout = null)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var host = TestHost.StartUnix();
        var request = new ExecutionRequest { HostAddress = host.Uri, Message = MessageJson.Parse(ContractRun.MessageJson), Stdout = stdout };
        var execution = pool.RunAsync(request, CancellationToken.None);
        await host.AcceptAsync(guard.Token);
        await node.ServeAsync(host, guard.Token);
        return await execution.WaitAsync(guard.Token);
    }

    /// <summary>A contract writing <paramref name="text"/> to stdout <paramref name="times"/> times, then returning.</summary>
    public static string Printer(string text, int times) => $$"""
        (module
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 64) "{{text.Replace("\n", "\\0a", StringComparison.Ordinal)}}")
          (func (export "_start") (local $i i32)
            (i32.store (i32.const 0) (i32.const 64))
            (i32.store (i32.const 4) (i32.const {{System.Text.Encoding.UTF8.GetByteCount(text)}}))
            (loop $again
              (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $again (i32.lt_u (local.get $i) (i32.const {{times}}))))))
        """;
}
