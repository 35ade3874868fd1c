using System.Text;
using GenVm.Core.Calldata;
using GenVm.Core.Messages;
using GenVm.Tests.Core.Runners;
using GenVm.Tests.Wasm;
using NUnit.Framework;

namespace GenVm.Tests.Core.Supervisor;

/// <summary>
/// Text and zip contracts through the runner system (runners.md §2, §4) in whole runs: the supervisor loads the
/// contract's archive, executes runner.json and starts the resulting module with its linked modules.
/// </summary>
[TestFixture]
[Category("Executor")]
public sealed class RunnerIntegrationTests
{
    // Prints "init\n" from _initialize and exports give() = 7.
    private const string Helper = """
        (module $helper
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 100) "init\n")
          (func (export "give") (result i32) i32.const 7)
          (func (export "_initialize")
            (i32.store (i32.const 0) (i32.const 100)) (i32.store (i32.const 4) (i32.const 5))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
        """;

    private const string UsesHelper = """
        (module
          (import "helper" "give" (func $give (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
          (memory (export "memory") 1)
          (func (export "_start") (call $proc_exit (call $give))))
        """;

    private static readonly string ExpectedEcho = ResultLineFormatter.FormatReturn(
        ExtendedMessage.ForTopLevel(MessageJson.Parse(ContractRun.MessageJson), new byte[] { 0x00 }).Encode());

    private static Task<ContractRun> RunAsync(byte[] code, TestRunnerStore? store = null, params string[] extraArgs)
        => new ContractRun { Node = ContractRun.Deploy(code), Runners = store?.Registry(), ExtraArgs = extraArgs }.RunAsync();

    [Test]
    public async Task Run_TextContractDependingOnRunner_StartsTheRunnerModule()
    {
        using var store = new TestRunnerStore();
        var echo = new SubVmContract().Compile();
        var runner = store.Add("echo", new TestTar()
            .Add("runner.json", Encoding.UTF8.GetBytes("{\"Seq\": [{\"SetArgs\": [\"a\"]}, {\"StartWasm\": \"echo.wasm\"}]}"))
            .Add("echo.wasm", echo)
            .Build());

        var run = await RunAsync(Encoding.UTF8.GetBytes($"# {{ \"Depends\": \"{runner}\" }}\nprint('hi')\n"), store);

        Assert.That(run.ResultLine, Is.EqualTo(ExpectedEcho));
    }

    [Test]
    public async Task Run_TextContractWithoutHeader_IsAbsentRunnerComment()
    {
        var run = await RunAsync("print('hi')\n"u8.ToArray());

        Assert.That(run.ResultLine, Is.EqualTo("executed with `VMError(\"invalid_contract absent_runner_comment\")`"));
    }

    [Test]
    public async Task Run_NotUtf8_IsNotUtf8Text()
    {
        var run = await RunAsync([0xff, 0xfe, 0x00]);

        Assert.That(run.ResultLine, Is.EqualTo("executed with `VMError(\"invalid_contract not_utf8_text\")`"));
    }

    [Test]
    public async Task Run_VersionNewerThanTheDatetimeAllows_IsVersionTooBig()
    {
        // runners.md §3: the default datetime (2024-11-26) allows only v0.1.0.
        var run = await RunAsync("# v0.1.5\n# { \"Depends\": \"echo:abc\" }\n"u8.ToArray());

        Assert.That(run.ResultLine, Is.EqualTo("executed with `VMError(\"version_too_big\")`"));
    }

    [Test]
    public async Task Run_UnknownRunner_IsInvalidContract()
    {
        using var store = new TestRunnerStore();

        var run = await RunAsync("# { \"Depends\": \"nothing:0000000000000000000000000000000000000000000000000000\" }\n"u8.ToArray(), store);

        Assert.That(run.ResultLine, Is.EqualTo("executed with `VMError(\"invalid_contract\")`"));
    }

    [Test]
    public async Task Run_ZipWithLinkWasm_InitializesTheHelperAndLinksItByName()
    {
        var zip = TestZip.Build([
            new TestZip.Entry("runner.json", Encoding.UTF8.GetBytes("{\"Seq\": [{\"LinkWasm\": \"helper.wasm\"}, {\"StartWasm\": \"main.wasm\"}]}")),
            new TestZip.Entry("helper.wasm", WatCompiler.Compile(Helper)),
            new TestZip.Entry("main.wasm", WatCompiler.Compile(UsesHelper)),
        ]);

        var run = await RunAsync(zip);

        Assert.That(run.Lines, Is.EqualTo(new[] { "init", "executed with `VMError(\"exit_code 7\")`" }));
    }

    // wasm-abi.md §9.3: the environment is fixed when StartWasm runs; a LinkWasm module's _initialize sees none of it
    // (the helper records its count in `seen`), later calls into the helper and the started module see all of it.
    [Test]
    public async Task Run_LinkWasmInitialize_SeesAnEmptyEnvironment()
    {
        const string envHelper = """
            (module $envhelper
              (import "wasi_snapshot_preview1" "environ_sizes_get" (func $sizes (param i32 i32) (result i32)))
              (memory (export "memory") 1)
              (global $seen (mut i32) (i32.const 9))
              (func $count (result i32) (drop (call $sizes (i32.const 0) (i32.const 4))) (i32.load (i32.const 0)))
              (func (export "seen") (result i32) (global.get $seen))
              (func (export "now") (result i32) (call $count))
              (func (export "_initialize") (global.set $seen (call $count))))
            """;
        const string main = """
            (module
              (import "envhelper" "seen" (func $seen (result i32)))
              (import "envhelper" "now" (func $now (result i32)))
              (import "wasi_snapshot_preview1" "environ_sizes_get" (func $sizes (param i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
              (memory (export "memory") 1)
              (func (export "_start")
                (drop (call $sizes (i32.const 0) (i32.const 4)))
                (call $proc_exit (i32.add (i32.mul (call $seen) (i32.const 100))
                  (i32.add (i32.mul (call $now) (i32.const 10)) (i32.load (i32.const 0)))))))
            """;
        var zip = TestZip.Build([
            new TestZip.Entry("runner.json", Encoding.UTF8.GetBytes(
                "{\"Seq\": [{\"AddEnv\": {\"name\": \"A\", \"val\": \"1\"}}, {\"LinkWasm\": \"helper.wasm\"}, {\"AddEnv\": {\"name\": \"B\", \"val\": \"2\"}}, {\"StartWasm\": \"main.wasm\"}]}")),
            new TestZip.Entry("helper.wasm", WatCompiler.Compile(envHelper)),
            new TestZip.Entry("main.wasm", WatCompiler.Compile(main)),
        ]);

        var run = await RunAsync(zip);

        // seen 0, now 2, the started module 2: exit code 0·100 + 2·10 + 2.
        Assert.That(run.ResultLine, Is.EqualTo("executed with `VMError(\"exit_code 22\")`"));
    }

    [Test]
    public async Task Run_NondetSubVmOfTextContract_LoadsTheRunnerInNondetMode()
    {
        // runners.md §4 When: the nondet branch starts the echo module, the det branch the RunNondet caller.
        using var store = new TestRunnerStore();
        var caller = new SubVmContract
        {
            MainRequest = SubVmContract.Request("RunNondet", CalldataValue.FromMap(("data_leader", new byte[] { 5 }), ("data_validator", new byte[] { 6 }))),
            Leaf = SubVmContract.Trap,
        }.Compile();
        var runner = store.Add("split", new TestTar()
            .Add("runner.json", Encoding.UTF8.GetBytes("{\"Seq\": [{\"When\": {\"cond\": \"nondet\", \"action\": {\"StartWasm\": \"echo.wasm\"}}}, {\"StartWasm\": \"caller.wasm\"}]}"))
            .Add("echo.wasm", new SubVmContract().Compile())
            .Add("caller.wasm", caller)
            .Build());

        var run = await RunAsync(Encoding.UTF8.GetBytes($"# {{ \"Depends\": \"{runner}\" }}\n"), store);

        Assert.That(run.Node.Result![0], Is.Zero, run.ResultLine);
        var file = CalldataCodec.Decode(run.Node.Result.AsSpan(1)).AsBytes().ToArray();
        var message = CalldataCodec.Decode(file.AsSpan(1)).AsMap();
        Assert.That(message["entry_data"].AsBytes().ToArray(), Is.EqualTo((byte[])[5]));
    }
}
