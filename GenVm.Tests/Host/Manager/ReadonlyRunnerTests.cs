using System.Text.Json.Nodes;
using GenVm.Core.Calldata;
using GenVm.Tests.Wasm;
using Microsoft.Extensions.DependencyInjection;

namespace GenVm.Tests.Host.Manager;

[TestFixture]
[Category("Executor")]
public sealed class ReadonlyRunnerTests
{
    private const string Imports = """
        (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
        (import "genlayer_sdk" "gl_call" (func $gl_call (param i32 i32 i32) (result i32)))
        (import "genlayer_sdk" "storage_write" (func $storage_write (param i32 i32 i32 i32) (result i32)))
        (memory (export "memory") 1)
        """;

    [Test]
    public async Task Readonly_ContractReturnsString_200WithSchema()
    {
        const string schema = """{"ctor":{"params":[]},"methods":{}}""";
        var payload = CalldataCodec.Encode(CalldataValue.FromMap(("Return", CalldataValue.FromString(schema))));
        var wat = $$"""
            (module {{Imports}}
              (data (i32.const 100) "{{Escape(payload)}}")
              (func (export "_start")
                (drop (call $gl_call (i32.const 100) (i32.const {{payload.Length}}) (i32.const 4000)))
                unreachable))
            """;
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.PostCodeAsync("/genvm/run/readonly", WatCompiler.Compile(wat), "2025-01-01T00:00:00Z");

        Assert.That(status, Is.EqualTo(200));
        Assert.That(body!.ToJsonString(), Is.EqualTo(new JsonObject { ["schema"] = schema }.ToJsonString()));
    }

    [Test]
    public async Task Readonly_ContractEchoesItsMessage_CalldataIsGetSchema()
    {
        // {"Return": <the message from fd 0>}: the message's entry_data is the calldata the run was given.
        const string wat = $$"""
            (module {{Imports}}
              (data (i32.const 100) "\0e\06Return")
              (func (export "_start")
                (i32.store (i32.const 0) (i32.const 108))
                (i32.store (i32.const 4) (i32.const 4000))
                (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
                (drop (call $gl_call (i32.const 100) (i32.add (i32.const 8) (i32.load (i32.const 8))) (i32.const 12)))
                unreachable))
            """;
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.PostCodeAsync("/genvm/run/readonly", WatCompiler.Compile(wat), "2025-01-01T00:00:00Z");

        Assert.That(status, Is.EqualTo(200));
        var calldata = Convert.ToHexStringLower(CalldataCodec.Encode(CalldataValue.FromMap(("method", CalldataValue.FromString("#get-schema")))));
        Assert.That(body!["schema"]!.GetValue<string>(), Does.Contain(calldata));
    }

    [Test]
    public async Task Readonly_ContractWritesStorage_500Forbidden()
    {
        const string wat = $$"""
            (module {{Imports}}
              (func (export "_start")
                (if (call $storage_write (i32.const 0) (i32.const 0) (i32.const 64) (i32.const 4)) (then unreachable))))
            """;
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.PostCodeAsync("/genvm/run/readonly", WatCompiler.Compile(wat), "2025-01-01T00:00:00Z");

        Assert.That(status, Is.EqualTo(500));
        Assert.That(body!["error"]!.GetValue<string>(), Does.StartWith("readonly execution failed: VMError: "));
    }

    private static byte[] ReturnsSchema()
    {
        var payload = CalldataCodec.Encode(CalldataValue.FromMap(("Return", CalldataValue.FromString("{}"))));
        return WatCompiler.Compile($$"""
            (module {{Imports}}
              (data (i32.const 100) "{{Escape(payload)}}")
              (func (export "_start")
                (drop (call $gl_call (i32.const 100) (i32.const {{payload.Length}}) (i32.const 4000)))
                unreachable))
            """);
    }

    [Test]
    public async Task Readonly_RunsAsAnExecutionOfTheManagersPool()
    {
        await using var server = await ManagerServer.StartAsync();
        var pool = server.App.Services.GetRequiredService<GenVm.Core.Pool.ExecutionPool>();
        var before = pool.Executions;

        var (status, _) = await server.PostCodeAsync("/genvm/run/readonly", ReturnsSchema(), "2025-01-01T00:00:00Z");

        Assert.That(status, Is.EqualTo(200));
        Assert.That(pool.Executions, Is.EqualTo(before + 1));
    }

    [Test]
    public async Task Readonly_ProcessMemoryCapBelowOnePage_500Oom()
    {
        // The pool's process-wide cap covers readonly runs too: one 64 KiB page does not fit 4 KiB (wasm-abi.md §12).
        await using var server = await ManagerServer.StartAsync(services: s => s.Configure<GenVm.Core.Pool.ExecutionPoolOptions>(o => o.ProcessMemoryCap = 4096));

        var (status, body) = await server.PostCodeAsync("/genvm/run/readonly", ReturnsSchema(), "2025-01-01T00:00:00Z");

        Assert.That(status, Is.EqualTo(500));
        Assert.That(body!["error"]!.GetValue<string>(), Is.EqualTo("readonly execution failed: VMError: OOM"));
    }

    [Test]
    public async Task Readonly_InvalidTimestamp_400()
    {
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.PostCodeAsync("/genvm/run/readonly", [0], "2025-13-01T00:00:00Z");

        Assert.That(status, Is.EqualTo(400));
        Assert.That(body!["error"]!.GetValue<string>(), Does.StartWith("invalid request header \"deployment-timestamp\""));
    }

    private static string Escape(byte[] bytes) => string.Concat(bytes.Select(b => "\\" + b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
}
