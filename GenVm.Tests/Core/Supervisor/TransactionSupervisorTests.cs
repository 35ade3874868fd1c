using System.Buffers.Binary;
using GenVm.Core.Calldata;
using GenVm.Core.Messages;
using GenVm.Core.Protocol;
using NUnit.Framework;

namespace GenVm.Tests.Core.Supervisor;

[TestFixture]
[Category("Executor")]
public sealed class TransactionSupervisorTests
{
    // Imports and a memory shared by the contracts below.
    private const string Prelude = """
        (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
        (import "genlayer_sdk" "gl_call" (func $gl_call (param i32 i32 i32) (result i32)))
        (import "genlayer_sdk" "storage_read" (func $storage_read (param i32 i32 i32 i32) (result i32)))
        (import "genlayer_sdk" "storage_write" (func $storage_write (param i32 i32 i32 i32) (result i32)))
        (memory (export "memory") 1)
        """;

    [Test]
    public async Task Run_StartReturns_ReturnsNull()
    {
        var run = await ContractRun.RunAsync($"(module {Prelude} (func (export \"_start\")))");

        Assert.That(run.ExitCode, Is.Zero);
        Assert.That(run.ResultLine, Is.EqualTo("executed with `Return(\"\\x00\")`"));
        Assert.That(Convert.ToHexStringLower(run.Node.Result!), Is.EqualTo("0000"));
    }

    [Test]
    public async Task Run_GlCallReturnOfMessage_ReturnsTheFd0Blob()
    {
        // {"Return": <the message read from fd 0>}: the prefix is 0e 06 "Return", the message follows it.
        const string wat = $$"""
            (module {{Prelude}}
              (data (i32.const 100) "\0e\06Return")
              (func (export "_start")
                (i32.store (i32.const 0) (i32.const 108))
                (i32.store (i32.const 4) (i32.const 4000))
                (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
                (drop (call $gl_call (i32.const 100) (i32.add (i32.const 8) (i32.load (i32.const 8))) (i32.const 12)))
                unreachable))
            """;
        byte[] calldata = [0x0e, 0x01, (byte)'x', 0x20];

        var run = await ContractRun.RunAsync(wat, calldata);

        var expected = ExtendedMessage.ForTopLevel(MessageJson.Parse(ContractRun.MessageJson), calldata).Encode();
        Assert.That(run.ResultLine, Is.EqualTo(ResultLineFormatter.FormatReturn(expected)));
        Assert.That(run.Node.Result!, Is.EqualTo((byte[])[0x00, .. expected]));
    }

    [Test]
    public async Task Run_StorageWriteThenRead_RoundTripsThroughTheHost()
    {
        // Writes "abcd" at index 3 of slot 0x11.., reads 5 bytes from index 2 and returns them as Bytes.
        const string wat = $$"""
            (module {{Prelude}}
              (data (i32.const 0) "\11\11\11\11\11\11\11\11\11\11\11\11\11\11\11\11\11\11\11\11\11\11\11\11\11\11\11\11\11\11\11\11")
              (data (i32.const 64) "abcd")
              (data (i32.const 100) "\0e\06Return\2b")
              (func (export "_start")
                (if (call $storage_write (i32.const 0) (i32.const 3) (i32.const 64) (i32.const 4)) (then unreachable))
                (if (call $storage_read (i32.const 0) (i32.const 2) (i32.const 109) (i32.const 5)) (then unreachable))
                (drop (call $gl_call (i32.const 100) (i32.const 14) (i32.const 200)))
                unreachable))
            """;

        var run = await ContractRun.RunAsync(wat);

        Assert.That(run.ResultLine, Is.EqualTo("executed with `Return(\"+\\x00abcd\")`"));
        var writes = run.Node.Transcript.Where(r => r.Method == (byte)HostMethod.StorageWrite).ToList();
        Assert.That(writes, Has.Count.EqualTo(1));
        Assert.That(writes[0].Field("data"), Is.EqualTo("abcd"u8.ToArray()));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(writes[0].Field("index")), Is.EqualTo(3));
    }

    [Test]
    public async Task Run_StorageIndexOverflow_ReturnsInval()
    {
        // testdata.md §8 (exploits): index + len overflowing u32 → inval (2), returned as the exit code.
        const string wat = $$"""
            (module {{Prelude}}
              (func (export "_start")
                (call $proc_exit (call $storage_read (i32.const 0) (i32.const -1) (i32.const 64) (i32.const 2)))))
            """;

        var run = await ContractRun.RunAsync(wat);

        Assert.That(run.ResultLine, Is.EqualTo("executed with `VMError(\"exit_code 2\")`"));
    }

    [Test]
    public async Task Run_Unreachable_IsWasmTrap()
    {
        var run = await ContractRun.RunAsync($"(module {Prelude} (func (export \"_start\") unreachable))");

        Assert.That(run.ResultLine, Is.EqualTo("executed with `VMError(\"wasm_trap UnreachableCodeReached\")`"));
        Assert.That(run.Node.Result![0], Is.EqualTo((byte)ResultCode.VmError));
        var map = CalldataCodec.Decode(run.Node.Result.AsSpan(1)).AsMap();
        Assert.That(map["message"].AsString(), Is.EqualTo("wasm_trap UnreachableCodeReached"));
        Assert.That(map["fingerprint"].AsMap()["frames"].AsArray(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Run_Rollback_IsUserError()
    {
        const string wat = $$"""
            (module {{Prelude}}
              (data (i32.const 0) "\0e\08Rollback\14no")
              (func (export "_start") (drop (call $gl_call (i32.const 0) (i32.const 13) (i32.const 64)))))
            """;

        var run = await ContractRun.RunAsync(wat);

        Assert.That(run.ResultLine, Is.EqualTo("executed with `UserError(\"no\")`"));
    }

    [TestCase(0, "executed with `Return(\"\\x00\")`")]
    [TestCase(1, "executed with `VMError(\"exit_code 1\")`")]
    [TestCase(125, "executed with `VMError(\"exit_code 125\")`")]
    [TestCase(126, "executed with `VMError(\"exit_code 125\")`")]
    [TestCase(-1, "executed with `VMError(\"exit_code 125\")`")]
    public async Task Run_ProcExit_MapsTheCode(int code, string expected)
    {
        var run = await ContractRun.RunAsync($"(module {Prelude} (func (export \"_start\") (call $proc_exit (i32.const {code}))))");

        Assert.That(run.ResultLine, Is.EqualTo(expected));
    }

    [Test]
    public async Task Run_NoEntry_IsInvalidContract()
    {
        var run = await ContractRun.RunAsync($"(module {Prelude} (func (export \"main\")))");

        Assert.That(run.ResultLine, Is.EqualTo("executed with `VMError(\"invalid_contract\")`"));
    }

    [Test]
    public async Task Run_EmptyNamedEntry_WinsOverStart()
    {
        var run = await ContractRun.RunAsync($"(module {Prelude} (func (export \"\") (call $proc_exit (i32.const 7))) (func (export \"_start\")))");

        Assert.That(run.ResultLine, Is.EqualTo("executed with `VMError(\"exit_code 7\")`"));
    }

    [Test]
    public async Task Run_UnknownImport_IsInvalidContract()
    {
        var run = await ContractRun.RunAsync("(module (import \"env\" \"f\" (func)) (func (export \"_start\")))");

        Assert.That(run.ResultLine, Is.EqualTo("executed with `VMError(\"invalid_contract\")`"));
    }

    // testdata.md §8 exploits/inf-loop and rec_tail: both end as timeout under cancellation (wasm-abi.md §11).
    [TestCase("(loop $l (br $l))")]
    [TestCase("(return_call $spin)")]
    public async Task Run_EndlessUntilCancelled_IsTimeout(string body)
    {
        var wat = $$"""
            (module {{Prelude}}
              (data (i32.const 0) "\08\00\00\00\01\00\00\00.")
              (func $spin {{body}})
              (func (export "_start")
                (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 32)))
                (call $spin)))
            """;

        var run = await ContractRun.RunAsync(wat, whileRunning: async (r, cancel) =>
        {
            await r.Stdout.FirstWrite;
            await cancel.CancelAsync();
        });

        Assert.That(run.Lines, Is.EqualTo(new[] { ".executed with `VMError(\"timeout\")`" }));
    }

    // testdata.md §8 exploits/rec_1023 and rec_1024 (wasm-abi.md §13): entry + 1023 nested calls succeed, +1024 trap.
    [TestCase(1023, "executed with `Return(\"\\x00\")`")]
    [TestCase(1024, "executed with `VMError(\"wasm_trap StackOverflow\")`")]
    public async Task Run_NestedCalls_DepthLimit(int nested, string expected)
    {
        var wat = $$"""
            (module {{Prelude}}
              (func $rec (param i32)
                (if (local.get 0) (then (call $rec (i32.sub (local.get 0) (i32.const 1))))))
              (func (export "_start") (call $rec (i32.const {{nested - 1}}))))
            """;

        var run = await ContractRun.RunAsync(wat);

        Assert.That(run.ResultLine, Is.EqualTo(expected));
    }

    // testdata.md §8 exploits/flt (wasm-abi.md §10): code before the first float comparison runs, then the VM traps.
    [Test]
    public async Task Run_FloatComparisonInDetVm_IsDeterministicModeTrap()
    {
        var wat = $$"""
            (module {{Prelude}}
              (data (i32.const 0) "\08\00\00\00\01\00\00\00!")
              (func (export "_start")
                (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 32)))
                (drop (f64.le (f64.const 1) (f64.const 2)))))
            """;

        var run = await ContractRun.RunAsync(wat);

        Assert.That(run.Lines, Is.EqualTo(new[] { "!executed with `VMError(\"wasm_trap DeterministicMode\")`" }));
    }

    [Test]
    public async Task Run_SaturatingTruncation_IsRejectedAsInvalidContract()
    {
        var run = await ContractRun.RunAsync($"(module {Prelude} (func (export \"_start\") (drop (i32.trunc_sat_f32_s (f32.const 1)))))");

        Assert.That(run.ResultLine, Is.EqualTo("executed with `VMError(\"invalid_contract\")`"));
    }

    // testdata.md §8 exploits/rec: unbounded (non-tail) recursion hits the 1024-frame limit (wasm-abi.md §13).
    [Test]
    public async Task Run_UnboundedRecursion_IsStackOverflow()
    {
        var run = await ContractRun.RunAsync($"(module {Prelude} (func $rec (call $rec)) (func (export \"_start\") (call $rec)))");

        Assert.That(run.ResultLine, Is.EqualTo("executed with `VMError(\"wasm_trap StackOverflow\")`"));
    }
}
